"""Large contacts files imported in the background (docs/adr/0012-bounded-imports.md).

Above `settings.TISSER_IMPORT_BACKGROUND_BYTES` the page does not read the file itself: it
stores the bytes in a `ContactImport` row, a task reads them (`contact_import_run`, by id)
and tells its progress on the row, which the page polls. The bytes are erased as soon as the
task ends, whatever the outcome; only the report stays, and only until the person's next
import. One import at a time per person, so that nobody can queue gigabytes of files. An import left
unfinished by a killed worker stops counting after `ContactImport.STALE_AFTER`; the person's
next import deletes it, bytes included."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tisser.accounts.models import Membership, User
from tisser.network.exchange.importer import ceiling_reached_refuse, contacts_import
from tisser.network.exchange.reading import UnreadableFile
from tisser.network.models import ContactImport
from tisser.network.services.contacts import beneficiary_membership

logger = logging.getLogger(__name__)


def contact_import_start(
    *, owner: User, filename: str, raw: bytes, how_known: str
) -> ContactImport:
    """Keep the file and queue its import. UnreadableFile (one French line) when the person
    already has one running or no room left; PermissionDenied for anyone but a beneficiary.
    The person's finished imports before this one are deleted: one report is kept."""
    membership = beneficiary_membership(owner)
    ceiling_reached_refuse(owner=owner, membership=membership)
    with transaction.atomic():
        # Two uploads at once must not both pass the check below.
        list(Membership.objects.select_for_update().filter(pk=membership.pk).values_list("pk"))
        if ContactImport.objects.visible_to(owner).pending().exists():
            raise UnreadableFile(
                _(
                    "Un import de contacts est déjà en cours : attendez qu'il se termine avant "
                    "d'en lancer un autre."
                )
            )
        ContactImport.objects.filter(owner=owner).delete()
        job = ContactImport.objects.create(
            owner=owner, filename=filename[:255], how_known=how_known, content=raw
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id: int) -> None:
    # Imported here: the task module imports this one, to run the import it is given.
    from tisser.network.tasks import contacts_import_task

    contacts_import_task.enqueue(import_id)


def contact_import_run(*, import_id: int) -> None:
    """Import the stored file of a waiting import; safe to run twice (the second run finds it
    no longer waiting). The file's bytes are erased when it ends, even on a failure."""
    claimed = ContactImport.objects.filter(
        pk=import_id, status=ContactImport.Status.WAITING
    ).update(status=ContactImport.Status.RUNNING)
    if not claimed:
        return
    job = ContactImport.objects.select_related("owner").get(pk=import_id)
    outcome: dict = {"status": ContactImport.Status.FAILED}

    def progress(done: int, total: int) -> None:
        ContactImport.objects.filter(pk=import_id).update(rows_done=done, rows_total=total)

    try:
        report = contacts_import(
            owner=job.owner,
            raw=bytes(job.content),
            how_known=job.how_known,
            progress=progress,
        )
    except UnreadableFile as error:
        outcome["error"] = error.message
    except Exception:
        logger.exception("contacts import %s failed", import_id)
        outcome["error"] = _(
            "L'import n'a pas pu aboutir à cause d'une erreur de Tisser : aucun contact n'a été "
            "importé. Réessayez plus tard ; si cela se reproduit, prévenez votre conseiller·ère."
        )
        raise
    else:
        outcome.update(
            status=ContactImport.Status.DONE,
            report=report.as_data(),
            rows_total=report.rows,
            rows_done=report.rows,
        )
    finally:
        ContactImport.objects.filter(pk=import_id).update(
            content=None, finished_at=timezone.now(), **outcome
        )


# A finished import's report (names from the file) is kept this long for the person to read.
REPORT_KEPT = timedelta(days=30)


def contact_imports_prune(
    *, now: datetime | None = None, organisation_id: int | None = None
) -> int:
    """Daily: erase the bytes of imports a dead worker left unfinished (marked failed), and
    delete reports older than REPORT_KEPT; how many rows changed. With `organisation_id`,
    only the imports of the organisation's members (an import has no organisation of its
    own; a person of two organisations is pruned by either's run, which is harmless), and
    those of people who belong to no organisation any more, whom every run prunes (else
    nobody's would)."""
    now = now or timezone.now()
    imports = ContactImport.objects.all()
    if organisation_id is not None:
        imports = imports.filter(
            Q(
                owner_id__in=Membership.objects.filter(organisation_id=organisation_id).values(
                    "user_id"
                )
            )
            | ~Exists(Membership.objects.filter(user_id=OuterRef("owner_id")))
        )
    stale = imports.filter(
        status__in=(ContactImport.Status.WAITING, ContactImport.Status.RUNNING),
        created_at__lt=now - ContactImport.STALE_AFTER,
    ).update(
        content=None,
        status=ContactImport.Status.FAILED,
        finished_at=now,
        error=_(
            "Cet import s'est interrompu sans aboutir : aucun contact n'a été importé. "
            "Importez de nouveau le fichier."
        ),
    )
    old, _deleted = imports.filter(created_at__lt=now - REPORT_KEPT).delete()
    return stale + old
