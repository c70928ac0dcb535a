"""Settings for `make run`: a developer's or a single curator's own machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
