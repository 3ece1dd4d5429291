"""Everything that talks to a broker directly (aiokafka, subprocesses); the rest of the project does not."""
