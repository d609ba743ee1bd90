"""`python -m bot.deploy.rasa_server`: starts Rasa in a container (docker-compose.yml).

It does what `bot/services.py` does for the Rasa process and then becomes it: the
environment with the embedded defaults (`settings.service_environment()`), the endpoints
written from it (`endpoints.write`, which adds the `KL_*_PASSWORD` variables the file refers
to), and `rasa run` with our model, connectors and those endpoints, exec'd so Rasa is the
container's main process and receives its signals.
"""

import os
from typing import Dict, List, Tuple

from bot import settings
from bot.deploy import endpoints
from bot.services import rasa_command


def build() -> Tuple[List[str], Dict[str, str]]:
    """The command and the environment for Rasa; writes the endpoints file on the way."""
    env = settings.service_environment()
    endpoints.write(env)  # adds the password variables the written file refers to
    return rasa_command(), env


def main() -> None:
    command, env = build()
    os.chdir(settings.ROOT)  # credentials.yml is relative, as in bot/services.py
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main()
