"""Is a local service up? Used by tests that need the real servers (they skip, or fail in CI, without them)."""

import socket

__all__ = ["port_open", "redis_up", "mqtt_up"]


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_up() -> bool:
    return port_open("127.0.0.1", 6379)


def mqtt_up() -> bool:
    return port_open("127.0.0.1", 1883)
