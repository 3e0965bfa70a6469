"""The Discord front end: a thin layer that sends the core's answers as embeds."""
