#!/usr/bin/env bash
# Run a real single-node Apache Kafka broker (KRaft, combined broker+controller) from Maven Central jars. No Docker.
#   kafka.sh fetch                                                  -> prints the lib dir
#   kafka.sh start  --data DIR [--port PORT] [--controller-port PORT] -> last stdout line: 127.0.0.1:PORT
#   kafka.sh stop   --data DIR
#   kafka.sh status --data DIR                                      -> exit 0 when running, 1 when not
# Env: LIVEBLOG_KAFKA_VERSION (default: pom.xml), LIVEBLOG_KAFKA_CACHE (default ~/.cache/liveblog-streams),
#      LIVEBLOG_KAFKA_START_TIMEOUT (s, default 60), LIVEBLOG_KAFKA_HEAP (default "-Xms256m -Xmx512m"),
#      LIVEBLOG_KAFKA_CDS=0 (no AppCDS archive), LIVEBLOG_PYTHON (python3; stdlib only, for ports and the probe).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VERSION=${LIVEBLOG_KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")}
CACHE_ROOT=${LIVEBLOG_KAFKA_CACHE:-$HOME/.cache/liveblog-streams}
KHOME=$CACHE_ROOT/kafka-$VERSION
LIB=$KHOME/lib
PY=${LIVEBLOG_PYTHON:-python3}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
TIMEOUT=${LIVEBLOG_KAFKA_START_TIMEOUT:-60}
read -r -a HEAP <<<"${LIVEBLOG_KAFKA_HEAP:--Xms256m -Xmx512m}"

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

fetch() {
  if [[ ! -f $LIB/kafka_2.13-$VERSION.jar ]]; then
    command -v mvn >/dev/null || die "mvn not found"
    mkdir -p "$KHOME"
    local tmp
    tmp=$(mktemp -d "$KHOME/fetch.XXXXXX")
    cp "$HERE/pom.xml" "$tmp/"
    log "resolving kafka_2.13:$VERSION into $LIB"
    if ! (cd "$tmp" && mvn -q -B -Dstyle.color=never -Dkafka.version="$VERSION" dependency:copy-dependencies \
          -DincludeScope=runtime -DoutputDirectory="$tmp/lib") >"$tmp/mvn.log" 2>&1; then
      cat "$tmp/mvn.log" >&2; rm -rf "$tmp"; die "maven could not resolve kafka_2.13:$VERSION"
    fi
    [[ -f $tmp/lib/kafka_2.13-$VERSION.jar ]] || { rm -rf "$tmp"; die "kafka_2.13-$VERSION.jar missing after fetch"; }
    # Atomic publish: a concurrent fetch that won the race leaves $LIB non-empty and our mv fails harmlessly.
    mv -T "$tmp/lib" "$LIB" 2>/dev/null || true
    rm -rf "$tmp"
    [[ -f $LIB/kafka_2.13-$VERSION.jar ]] || die "could not publish $LIB"
  fi
  echo "$LIB"
}

parse() {  # sets DIR PORT CPORT
  DIR="" PORT="" CPORT=""
  while (($#)); do
    case $1 in
      --data) DIR=${2:?--data needs a value}; shift 2 ;;
      --port) PORT=${2:?--port needs a value}; shift 2 ;;
      --controller-port) CPORT=${2:?--controller-port needs a value}; shift 2 ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  [[ -n $DIR ]] || die "--data DIR is required"
  [[ $CMD != start ]] || mkdir -p "$DIR"
  if [[ -d $DIR ]]; then DIR=$(cd "$DIR" && pwd); fi
  PIDFILE=$DIR/kafka.pid
}

alive() {  # pid is ours and running: not a zombie, and its command line is this data dir's broker
  local pid=$1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "kafka.Kafka $DIR/server.properties"
}

running_pid() {  # prints the pid when running; drops a stale pid file
  [[ -f $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  if alive "$pid"; then echo "$pid"; return 0; fi
  rm -f "$PIDFILE"; return 1
}

prop() { sed -n "s/^$1=//p" "$DIR/server.properties" 2>/dev/null | tail -1; }
bport() { prop listeners | sed -n 's/.*PLAINTEXT:\/\/127.0.0.1:\([0-9]*\).*/\1/p'; }

ports() {  # usage: ports WANT_BROKER WANT_CONTROLLER -> two free loopback ports ("" = pick one)
  "$PY" - "$@" <<'EOF'
import socket, sys
held, out = [], []
for want in sys.argv[1:3]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the JVM does: TIME_WAIT is no obstacle
    try:
        s.bind(("127.0.0.1", int(want) if want else 0))
    except OSError:
        sys.exit("port %s on 127.0.0.1 is in use" % want)
    held.append(s); out.append(str(s.getsockname()[1]))
print(*out)
EOF
}

probe() {  # usage: probe PORT PID TIMEOUT -> 0 ready, 2 process died, 3 timed out
  "$PY" - "$@" <<'EOF'
# Ready = the broker answers a Kafka Metadata request (v1, no topics) listing at least one broker. A KRaft broker
# opens its listener for requests only once it is caught up and unfenced, and lists only unfenced brokers.
import os, socket, struct, sys, time
port, pid, timeout = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
def ready():
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        cid = b"liveblog-probe"
        req = struct.pack(">hhih", 3, 1, 42, len(cid)) + cid + struct.pack(">i", 0)
        s.sendall(struct.pack(">i", len(req)) + req)
        buf = b""
        while len(buf) < 4 or len(buf) < 4 + struct.unpack(">i", buf[:4])[0]:
            chunk = s.recv(65536)
            if not chunk:
                return False
            buf += chunk
        corr, nbrokers = struct.unpack(">ii", buf[4:12])
        return corr == 42 and nbrokers >= 1
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                sys.exit(2)
    except (OSError, IndexError):
        sys.exit(2)
    try:
        if ready():
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(3)
EOF
}

tails() {
  local f
  for f in "$DIR/server.log" "$DIR/kafka.out"; do   # kafka.out last: JVM errors land there
    [[ -s $f ]] && { echo "---- tail $f" >&2; tail -n 30 "$f" >&2; }
  done
  return 0
}

# AppCDS: the first start records loaded classes at JVM exit (on stop); later starts map the archive (~1 s faster).
# Keyed by the java build; the JVM validates the archive and silently runs without it when it does not match.
cds_opts() {  # sets the arrays CDS (broker) and CDS_USE (other JVMs: use an archive, never write one)
  CDS=() CDS_USE=()
  [[ ${LIVEBLOG_KAFKA_CDS:-1} != 0 ]] || return 0
  local jv key
  jv=$("$JAVA" -version 2>&1) || return 0
  [[ $jv == *sharing* ]] || return 0        # dynamic archives need the JDK's base CDS archive
  key=$(printf '%s' "$jv" | cksum | cut -d' ' -f1)
  local jsa=$KHOME/cds-$key.jsa
  if [[ -s $jsa ]]; then
    CDS=("-XX:SharedArchiveFile=$jsa")
    CDS_USE=("${CDS[@]}")
  else
    local pending=$KHOME/cds-$key.$$.$RANDOM.tmp
    echo "$pending $jsa" >"$DIR/kafka.cds"
    CDS=("-XX:ArchiveClassesAtExit=$pending")
  fi
}

cds_publish() {  # usage: cds_publish clean|discard, after the JVM exited: a clean exit's archive goes into place
  [[ -f $DIR/kafka.cds ]] || return 0
  local pending jsa
  read -r pending jsa <"$DIR/kafka.cds"
  rm -f "$DIR/kafka.cds"
  if [[ $1 == clean && -s $pending && ! -e $jsa ]]; then  # ln: atomic, the first archive wins
    ln "$pending" "$jsa" 2>/dev/null || true
  fi
  rm -f "$pending"
}

start() {
  local t0=$SECONDS pid
  parse "$@"
  if pid=$(running_pid); then
    die "already running (pid $pid) in $DIR on 127.0.0.1:$(bport)"
  fi
  fetch >/dev/null
  # Reuse the ports of an earlier run of this data dir when free: clients and the KRaft voter record keep working.
  if [[ -z $PORT && -f $DIR/server.properties ]]; then
    PORT=$(bport)
    [[ -n $PORT ]] && ! ports "$PORT" "" >/dev/null 2>&1 && PORT=""
  fi
  if [[ -z $CPORT && -f $DIR/server.properties ]]; then
    CPORT=$(prop controller.quorum.bootstrap.servers | sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p')
    [[ -n $CPORT ]] && ! ports "" "$CPORT" >/dev/null 2>&1 && CPORT=""
  fi
  local p
  p=$(ports "$PORT" "$CPORT") || die "cannot use the requested ports"
  read -r PORT CPORT <<<"$p"
  [[ $PORT != "$CPORT" ]] || die "broker and controller ports must differ"

  cat >"$DIR/server.properties" <<EOF
# Written by kafka.sh start: single-node KRaft, loopback only.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$CPORT
log.dirs=$DIR/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.cleaner.backoff.ms=1000
EOF

  local jvm=("$JAVA" "${HEAP[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
             -Djava.awt.headless=true -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$DIR")
  cds_publish discard    # a pending archive of an earlier run that was not stopped by us: unsafe
  cds_opts
  if [[ ! -f $DIR/data/meta.properties ]]; then
    local id
    id=$("$PY" -c 'import base64,uuid
while True:
    s = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    if not s.startswith("-"): print(s); break')
    log "formatting $DIR/data (cluster $id)"
    "${jvm[@]}" "${CDS_USE[@]}" -cp "$LIB/*" kafka.tools.StorageTool format --standalone -t "$id" -c "$DIR/server.properties" \
      >>"$DIR/kafka.out" 2>&1 || { tails; die "storage format failed"; }
  fi

  log "starting Kafka $VERSION in $DIR on 127.0.0.1:$PORT (controller $CPORT)"
  rm -f "$PIDFILE"
  # setsid: own session, so the caller's terminal or process group signals never reach it; bash writes its own pid
  # and execs java, so the pid file holds the JVM's pid.
  # shellcheck disable=SC2016  # $$ and $@ expand in the inner bash
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDFILE" \
    "${jvm[@]}" "${CDS[@]}" -cp "$LIB/*" kafka.Kafka "$DIR/server.properties" </dev/null >>"$DIR/kafka.out" 2>&1 &
  for _ in $(seq 50); do [[ -s $PIDFILE ]] && break; sleep 0.1; done
  [[ -s $PIDFILE ]] || die "broker did not start (no pid file)"
  pid=$(<"$PIDFILE")
  local rc=0
  probe "$PORT" "$pid" "$TIMEOUT" || rc=$?
  case $rc in
    0) log "ready in $((SECONDS - t0)) s (pid $pid)"; echo "127.0.0.1:$PORT" ;;
    2) tails; rm -f "$PIDFILE"; cds_publish discard; die "broker exited during start-up (see $DIR/server.log)" ;;
    *) tails; stop --data "$DIR" >&2 || true; die "broker not ready after $TIMEOUT s (see $DIR/server.log)" ;;
  esac
}

stop() {
  parse "$@"
  local pid
  if ! pid=$(running_pid); then
    log "not running in $DIR"; cds_publish discard; return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local how=clean
  for _ in $(seq 200); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    how=discard
    log "pid $pid still running after 20 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  cds_publish "$how"
  log "stopped (pid $pid)"
}

status() {
  parse "$@"
  local pid
  if pid=$(running_pid); then
    echo "running: pid $pid, 127.0.0.1:$(bport), data $DIR"
  else
    echo "not running: $DIR"; return 1
  fi
}

CMD=${1:-}
shift || true
case $CMD in
  fetch) fetch ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  *) echo "usage: $0 fetch | start --data DIR [--port P] [--controller-port P] | stop --data DIR | status --data DIR" >&2
     exit 2 ;;
esac
