"""`python -m bot.deploy.rasa_cli run ...`: the `rasa` command with our structured logs.

Rasa installs coloredlogs on the root logger after parsing its arguments, and coloredlogs
removes any other handler writing to stderr, so neither a `--logging-config-file` nor an
earlier `logging_config.configure()` survives. This entry point hands Rasa our setup in
place of its coloredlogs call (the one function `rasa.__main__` looks up on
`rasa.utils.io` at run time): one key=value or JSON line per record, without message text,
SQL parameters or secrets, like the action server and the worker.
"""

import logging
from typing import Optional, Union

import rasa.utils.io

from bot import logging_config


def structured_logging(loglevel: Optional[Union[int, str]] = None) -> None:
    level = logging.getLevelName(loglevel) if isinstance(loglevel, str) else loglevel
    logging_config.configure("rasa", level=level if isinstance(level, int) else None)


def main() -> None:
    from rasa.__main__ import main as rasa_main

    rasa.utils.io.configure_colored_logging = structured_logging
    rasa_main()


if __name__ == "__main__":
    main()
