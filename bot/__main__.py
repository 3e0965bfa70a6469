"""``python -m bot``: the same command line as ``diplobot``."""

try:
    from bot.cli import main

    status = main()
except KeyboardInterrupt:  # Ctrl-C between loading the command line and its own handling
    status = 130  # 128 + SIGINT, as bot.cli.EXIT_INTERRUPTED
raise SystemExit(status)
