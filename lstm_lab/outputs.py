"""The files a command writes: each tried before training, written whole, and
one error naming the file when a write fails.

`cli.run_command` applies the policy (docs/code.md, "How every command runs"):
every option declared with `writes=True` is tried before any training, so a
folder that cannot be written to, or two options naming one file, are bad
options (exit 2); a write that fails later raises WriteFailed, which ends the
command with one line and status 1, the finished rows printed.
"""

import contextlib
import os
import tempfile


def check_writable(path):
    """Raise ValueError unless a file can be written at `path`, without writing it.

    A file is created beside it and removed: only the file system can say
    whether a write will succeed (as root every folder looks writable, but
    /proc refuses new files).
    """
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder, not a file")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write {path}: no folder {folder}")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise ValueError(f"cannot write {path}: the file is read-only")
    try:
        handle, trial = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    except OSError as err:
        raise ValueError(f"cannot write {path}: {err.strerror}") from None
    os.close(handle)
    os.unlink(trial)


def check_output_files(options, args):
    """Raise ValueError unless every file that `options` (cli.Option, those
    with writes=True) name in `args` can be written, and no two name the same
    file (each would overwrite the other)."""
    seen = {}
    for option in options:
        path = getattr(args, _dest(option.flag), None) if option.writes else None
        if path is None:
            continue
        try:
            check_writable(path)
        except ValueError as err:
            raise ValueError(f"argument {option.flag}: {err}") from None
        key = os.path.realpath(path)
        if key in seen:
            raise ValueError(
                f"{seen[key]} and {option.flag} both name {path}: each would "
                "overwrite the other"
            )
        seen[key] = option.flag


def _dest(flag):
    return flag.lstrip("-").replace("-", "_")


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


class WriteFailed(Exception):
    """A file could not be written; the message names it and says why."""


def write_atomically(path, text):
    """Write text to path so that a reader sees the old file or the new, never half.

    Raises WriteFailed, naming the file, when it cannot be written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
        with os.fdopen(handle, "w") as file:
            file.write(text + "\n")
        # mkstemp makes the file private (0600); a table is written to be
        # read, so it gets the mode any new file gets here.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as err:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(err, OSError):
            raise WriteFailed(f"could not write {path}: {err.strerror or err}") from err
        raise
