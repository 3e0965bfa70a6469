"""``python -m bot``: the same command line as ``diplobot``."""

from bot.cli import main

raise SystemExit(main())
