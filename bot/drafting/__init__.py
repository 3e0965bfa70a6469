"""Article drafts: an article (HTML, text or a URL) becomes a draft import file.

`read_article` turns bytes into an `Article`, `fetch_url` fetches them safely,
and `make_draft` proposes the source, the new entities and the facts against what
the store already knows (`Known`). Nothing here writes to the store.
"""

from bot.drafting.article import Article, read_article
from bot.drafting.draft import Draft, make_draft
from bot.drafting.fetch import fetch_url
from bot.drafting.known import Known
from bot.errors import DraftError

__all__ = ["Article", "Draft", "DraftError", "Known", "fetch_url", "make_draft", "read_article"]
