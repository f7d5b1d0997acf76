"""The pinned Alpine minirootfs: found in the cache, downloaded when missing, always verified."""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from aramid_py.util import ROOT, Failure, cache_dir, note

DEFAULT_PIN = ROOT / "images" / "alpine.pin"
DOWNLOAD_TIMEOUT_S = 60


@dataclass(frozen=True)
class Pin:
    version: str
    arch: str
    file: str
    url: str
    sha512: str


def read_pin(path: Path = DEFAULT_PIN) -> Pin:
    values: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise Failure(f"{path}:{number}: expected 'key = value'")
        values[key.strip()] = value.strip()
    try:
        pin = Pin(**{k: values[k] for k in ("version", "arch", "file", "url", "sha512")})
    except KeyError as missing:
        raise Failure(f"{path}: missing key {missing}") from None
    if len(pin.sha512) != 128 or any(c not in "0123456789abcdef" for c in pin.sha512):
        raise Failure(f"{path}: sha512 must be 128 lowercase hex digits")
    return pin


def sha512_of(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, pin: Pin) -> None:
    actual = sha512_of(path)
    if actual != pin.sha512:
        raise Failure(
            f"{path} does not match the pin {DEFAULT_PIN.relative_to(ROOT)}: SHA-512 is "
            f"{actual[:16]}..., expected {pin.sha512[:16]}...; the file is corrupt or not "
            f"Alpine {pin.version} ({pin.arch}). Delete it to download it again.")


def download(pin: Pin, dest: Path) -> None:
    note(f"downloading {pin.url}")
    tmp = dest.with_name(dest.name + f".part{os.getpid()}")
    try:
        with urllib.request.urlopen(pin.url, timeout=DOWNLOAD_TIMEOUT_S) as response, \
                open(tmp, "wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        actual = sha512_of(tmp)
        if actual != pin.sha512:
            raise Failure(f"the file downloaded from {pin.url} has SHA-512 {actual[:16]}..., "
                          f"not {pin.sha512[:16]}... as pinned: refusing it")
        tmp.replace(dest)
    except (urllib.error.URLError, OSError) as error:
        raise Failure(
            f"the Alpine minirootfs {pin.file} is not in {dest.parent} and cannot be downloaded "
            f"from {pin.url} ({error}). Without network, copy the file there by hand "
            f"(CI seeds it from ../shared/rootfs/).") from None
    finally:
        tmp.unlink(missing_ok=True)


def ensure(pin: Pin | None = None, cache: Path | None = None, allow_download: bool = True) -> Path:
    """The verified tarball in the cache, downloading it first when it is missing."""
    pin = pin or read_pin()
    cache = cache or cache_dir()
    path = cache / pin.file
    if not path.exists():
        if not allow_download:
            raise Failure(f"the Alpine minirootfs {pin.file} is not in {cache}")
        cache.mkdir(parents=True, exist_ok=True)
        download(pin, path)
    verify(path, pin)
    return path
