"""Static files: hashed and compressed once collected, plain names until then."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's manifest storage that does not fail a page over an uncollected file.

    Django's manifest storage raises for a file missing from the manifest, so before
    `collectstatic` (a first `manage.py runserver` with DEBUG off) every page would be
    a 500. This one links such a file by its plain name, which whitenoise serves from
    the source directories (WHITENOISE_USE_FINDERS), and says why once.
    """

    warned = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            if not self.warned:
                self.warned = True
                logger.warning(
                    "Static files are not collected (%s is missing from the manifest): "
                    "linking them unhashed until `manage.py collectstatic` runs.",
                    name,
                )
            return name
