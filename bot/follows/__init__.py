"""Follows: channels that get each new or corrected fact about an entity, or a digest.

`bot.follows.registry` declares the commands (``follow``, ``unfollow``,
``following``), `bot.follows.manage` holds them, and `bot.follows.delivery` decides
what each followed channel is posted and claims it so it is posted once. The
Discord layer (`bot.chat.follow`, `bot.chat.follow_posting`) only draws and sends.
"""

from bot.follows import manage
from bot.follows.registry import FOLLOW_COMMANDS, FollowCommand, Place, help_lines

__all__ = ["FOLLOW_COMMANDS", "FollowCommand", "Place", "help_lines", "manage"]
