"""When each cached page last went stale, as this process knows it.

publish() announces every commit that changes a story on a PostgreSQL channel
(articles.publishing.CHANGES_CHANNEL) and, in the writing process, through the
story_changed signal. Each serving process LISTENs on its own connection and drains what
arrived without sending a query, so a cache hit asks the database nothing. A story's
change makes its own pages stale and the archive pages showing it; any change makes the
lists by last update stale; a new story makes the date archive stale. Sessions, lockouts
and the admin log say nothing here, so they invalidate nothing.
"""

import json
import logging
import os
import threading
import time

import psycopg
from django.db import connections

from articles.publishing import CHANGES_CHANNEL, story_changed
from newsdesk.middleware import breaker

logger = logging.getLogger(__name__)

LISTS = "lists"  # every page that lists stories by their last update, search included
EVERY_STORY = "every story"  # a bulk load: whatever its stories' addresses showed before
DATE_ARCHIVE = "date archive"  # stories by first publication: only a new story adds to it
RECONNECT_SECONDS = 1.0  # while the channel is down, how often to try it again


def story(slug):
    return f"story {slug}"


def _stale_names(slug=None, new=False, every_story=False):
    """What a change to story `slug` makes stale."""
    names = [LISTS] + ([DATE_ARCHIVE] if new else []) + ([story(slug)] if slug else [])
    return names + ([EVERY_STORY] if every_story else [])


# The stories whose embargo is still to lift, and when (as time.time() counts).
EMBARGOES_PENDING = (
    "SELECT slug, extract(epoch FROM not_before)::float FROM articles_story"
    " WHERE not_before > now() AND withdrawn_at IS NULL"
)


class Invalidations:
    """The times things went stale (time.time()), fed by the channel and by this process's
    own commits. A page rendered from before the channel was last (re)joined counts as
    stale: whatever was announced meanwhile went unheard."""

    def __init__(self, alias="default"):
        self.alias = alias
        self.lock = threading.RLock()
        self.connection = None
        self.pid = None
        self.listening_since = None
        self.retry_at = 0.0
        self.stale_at = {}
        self.lifts = []  # (time, what it makes stale): embargoes lifting, nothing committed
        self.heard_once = {}  # announcement id -> time, for those heard by one route of two

    def listening(self):
        """Join the channel if needed and take in what arrived; False while it is down."""
        with self.lock:
            if self.pid != os.getpid():  # a forked worker must not share its parent's socket
                self.connection, self.pid = None, os.getpid()
            if self.connection is None and not self._join():
                return False
            try:
                for notify in self.connection.notifies(timeout=0):
                    self.record(**json.loads(notify.payload))
            except (psycopg.Error, OSError, ValueError, TypeError) as exc:
                logger.warning("Page invalidation channel lost: %s", exc)
                self._leave()
                return False
            return True

    def _join(self):
        now = time.time()
        # Right after a request found the database away, joining would wait out the
        # connect timeout in front of the breaker that spares requests that wait.
        if now < self.retry_at or breaker.away():
            return False
        self.retry_at = now + RECONNECT_SECONDS
        params = connections[self.alias].get_connection_params()
        for unused in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(unused, None)
        try:
            self.connection = psycopg.connect(**params, autocommit=True)
            self.connection.execute(f"LISTEN {CHANGES_CHANNEL}")
            # Embargoes announced before this process listened: it must know when they lift.
            pending = self.connection.execute(EMBARGOES_PENDING).fetchall()
        except (psycopg.Error, OSError) as exc:
            # The request's own queries meet the outage and report it (one line each).
            logger.debug("Page invalidation channel unavailable: %s", exc)
            self._leave()
            return False
        self.listening_since = time.time()
        self.stale_at = {}
        self.lifts = [(at, _stale_names(slug, new=True)) for slug, at in pending]
        return True

    def _leave(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except psycopg.Error:
                pass
        self.connection = None
        self.listening_since = None

    def record(
        self, announcement=None, slug=None, new=False, every_story=False, lifts_at=None, **ignored
    ):
        """Note that story `slug` changed (`new`: was archived), or that new stories were
        (`every_story`), just now; and, for an embargo, that it changes again at
        `lifts_at` (a time.time()). The writing process hears its own `announcement`
        twice, by signal and by channel, both after the commit: the second adds nothing,
        and counting it would make every page rendered in between stale for no change."""
        now = time.time()
        with self.lock:
            if announcement is not None and self.heard_once.pop(announcement, None) is None:
                self.heard_once[announcement] = now
            elif announcement is not None:
                return
            names = _stale_names(slug, new, every_story)
            for name in names:
                self.stale_at[name] = now
            if lifts_at is not None:
                self.lifts.append((lifts_at, names))
            self._forget_older_than(now)

    def _forget_older_than(self, now):
        # A page older than PAGE_CACHE_SECONDS has expired anyway; keep the table small.
        from django.conf import settings

        horizon = now - max(settings.PAGE_CACHE_SECONDS, 1) - 60
        if len(self.stale_at) > 10_000:
            self.stale_at = {name: at for name, at in self.stale_at.items() if at >= horizon}
        # Other processes' announcements are heard once only; a minute is long enough to
        # wait for the channel to bring the second copy of one's own.
        if len(self.heard_once) > 1_000:
            self.heard_once = {key: at for key, at in self.heard_once.items() if at >= now - 60}

    def fresh(self, depends_on, rendered_at):
        """Whether a page rendered at `rendered_at` from what `depends_on` names still holds."""
        with self.lock:
            self._lift_due(time.time())
            if self.listening_since is None or rendered_at < self.listening_since:
                return False
            return all(
                self.stale_at.get(name, 0.0) < rendered_at for name in (*depends_on, EVERY_STORY)
            )

    def _lift_due(self, now):
        """An embargo that has lifted makes stale, as of its time, what a change would."""
        due = [lift for lift in self.lifts if lift[0] <= now]
        if due:
            self.lifts = [lift for lift in self.lifts if lift[0] > now]
            for at, names in due:
                for name in names:
                    self.stale_at[name] = max(self.stale_at.get(name, 0.0), at)

    def close(self):
        with self.lock:
            self._leave()


invalidations = Invalidations()


def _on_story_changed(sender, **change):
    # The writer's own process learns at once, without waiting for its own notification.
    invalidations.record(**change)


story_changed.connect(_on_story_changed, dispatch_uid="newsdesk.page_cache")
