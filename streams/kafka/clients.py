"""aiokafka clients built from `Settings`: security settings pass through in one place."""

from __future__ import annotations

import ssl
from typing import Any

from streams.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments shared by every aiokafka client (never logged: they may hold a password)."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
        "request_timeout_ms": int(settings.request_timeout * 1000),
    }
    if settings.security_protocol.endswith("SSL"):
        options["ssl_context"] = ssl.create_default_context(cafile=settings.ssl_cafile)
    if settings.security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.sasl_mechanism or "PLAIN"
        options["sasl_plain_username"] = settings.sasl_username
        if settings.sasl_password is not None:
            options["sasl_plain_password"] = settings.sasl_password.get_secret_value()
    return options
