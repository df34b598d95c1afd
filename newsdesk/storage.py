"""Static files: hashed and compressed once collected, plain names until then."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's manifest storage that does not fail a page over an uncollected file.

    Django's manifest storage raises for a file missing from the manifest, so before
    `collectstatic` (a first `manage.py runserver` with DEBUG off) every page would be
    a 500. This one links such a file by its plain name, which whitenoise serves from
    the source directories (WHITENOISE_USE_FINDERS); when nothing was collected at
    all, it says so once.
    """

    warned = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            # whitenoise also asks for names that exist nowhere (jquery.js for
            # jquery.min.js); only an empty manifest is worth a warning.
            if not self.hashed_files and not self.warned:
                self.warned = True
                logger.warning(
                    "Static files are not collected: linking them unhashed until "
                    "`manage.py collectstatic` runs."
                )
            return name
