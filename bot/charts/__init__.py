"""Answers drawn as pictures (PNG), for Discord and for ``ask --chart``.

Depends only on `bot.core`. The plotting library (matplotlib, Agg backend) is
imported when the first chart is drawn, not when this package is: a process that
never draws one never loads it.
"""
