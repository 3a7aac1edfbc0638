"""The beneficiary's professional network: contacts (third parties: minimal fields, deletable
any time), the enquêtes-métiers led with them (informational interviews: asking for
information, never for a job), the organisation's interview guides, and weekly snapshots of
the network's size so that its growth shows over time.

Everything here belongs to one person (`owner`). Their consultant sees counts and progress
always, names and notes only when the person shares their network (`NetworkSharing`)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tisser.accounts.models import Membership
from tisser.core.enums import Role


def _consultant_of_owner(user) -> models.Q:
    """Owners whose active beneficiary membership names `user` as their inviting consultant."""

    owners = Membership.objects.beneficiaries_of(user).values("user_id")
    return models.Q(owner_id__in=owners)


class NetworkSharing(models.Model):
    """Whether a person shares the details of their network (names, notes, interviews) with
    their consultant. Without a row, nothing is shared."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_sharing"
    )
    with_consultant = models.BooleanField(_("partagé avec mon conseiller·ère"), default=False)
    changed_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("partage du réseau")

    def __str__(self) -> str:
        return f"{self.owner} — {self.with_consultant}"


class OwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The owner sees their own; the consultant who invited them sees them only when the
        owner shares their network. Coordinators, mentors and peers see nothing individual."""
        if not user.is_authenticated:
            return self.none()
        shared = NetworkSharing.objects.filter(with_consultant=True).values("owner_id")
        return self.filter(
            models.Q(owner=user) | (_consultant_of_owner(user) & models.Q(owner_id__in=shared))
        )

    def owned_by(self, user):
        return self.filter(owner=user) if user.is_authenticated else self.none()


class HowKnown(models.TextChoices):
    FORMER_MANAGER = "former_manager", _("Ancien·ne responsable")
    FORMER_COLLEAGUE = "former_colleague", _("Ancien·ne collègue")
    SCHOOL = "school", _("École ou formation")
    ASSOCIATION = "association", _("Association professionnelle")
    LINKEDIN = "linkedin", _("LinkedIn")
    ALUMNI = "alumni", _("Réseau d'anciens (alumni)")
    EVENT = "event", _("Événement, salon, conférence")
    INTRODUCED = "introduced", _("Présenté·e par un contact")
    OTHER = "other", _("Autre")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Téléphone")
    LINKEDIN = "linkedin", _("LinkedIn")
    OTHER = "other", _("Autre")


class Contact(models.Model):
    """A professional the person may meet for an enquête-métier. `introduced_by` is the
    contact who introduced them: the referral chain ("un contact en amène un autre")."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    company = models.CharField(_("structure"), max_length=200, blank=True)
    metier = models.ForeignKey(
        "referentiel.Metier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fiche métier"),
    )
    sector = models.CharField(_("secteur"), max_length=200, blank=True)
    how_known = models.CharField(
        _("comment je connais cette personne"), max_length=20, choices=HowKnown.choices
    )
    introduced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduced",
        verbose_name=_("présenté·e par"),
    )
    channel = models.CharField(
        _("moyen de contact privilégié"), max_length=10, choices=Channel.choices, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # E.164 (+33612345678), normalised by `tisser.network.phones.phone_normalise`.
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    link = models.CharField(_("profil en ligne ou autre coordonnée"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("contact professionnel")
        verbose_name_plural = _("contacts professionnels")
        indexes = [
            models.Index(fields=["owner", "email"]),
            # the lists and the network view read a person's contacts by name, a page at a time
            models.Index(
                fields=["owner", "last_name", "first_name", "id"], name="network_contact_by_name"
            ),
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Stage(models.TextChoices):
    """The steps of an enquête-métier, in order."""

    TO_CONTACT = "to_contact", _("À contacter")
    MESSAGE_SENT = "message_sent", _("Message envoyé")
    FOLLOWED_UP = "followed_up", _("Relancé·e")
    MEETING_SET = "meeting_set", _("Rendez-vous fixé")
    INTERVIEW_DONE = "interview_done", _("Entretien réalisé")
    THANKED = "thanked", _("Remercié·e")
    NEXT_STEP = "next_step", _("Suite donnée")


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class Verdict(models.TextChoices):
    GO = "go", _("GO : ce métier me correspond")
    NO_GO = "no_go", _("NO-GO : ce n'est pas pour moi")
    EXPLORE = "explore", _("À explorer encore")


class InformationalInterview(models.Model):
    """An enquête-métier with one contact, about a fiche métier: its pipeline stage (each
    step dated in `StageEvent`), the questions prepared, the notes taken per theme and the
    synthesis the person writes afterwards."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("En cours")
        REFERRAL = "referral", _("M'a recommandé un autre contact")
        IMMERSION = "immersion", _("Immersion proposée")
        CLOSED = "closed", _("Terminée")
        DROPPED = "dropped", _("Abandonnée")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="informational_interviews"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interviews")
    metier = models.ForeignKey(
        "referentiel.Metier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fiche métier explorée"),
    )
    project = models.ForeignKey(
        "bilans.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="informational_interviews",
        verbose_name=_("projet"),
    )
    stage = models.CharField(
        _("étape"), max_length=20, choices=Stage.choices, default=Stage.TO_CONTACT
    )
    stage_changed_at = models.DateTimeField(_("étape atteinte le"))
    meeting_at = models.DateTimeField(_("rendez-vous le"), null=True, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN
    )
    # The synthesis, written after the interview.
    takeaways = models.TextField(_("ce que je retiens"), blank=True)
    about_me = models.TextField(_("ce que cela me dit de moi"), blank=True)
    verdict = models.CharField(
        _("et maintenant ?"), max_length=10, choices=Verdict.choices, blank=True
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        verbose_name = _("enquête-métier")
        verbose_name_plural = _("enquêtes-métiers")
        indexes = [
            # The daily reminders read the enquêtes whose stage changed in the last weeks.
            models.Index(fields=["stage_changed_at"], name="network_interview_stage_at_idx"),
            # a person's enquêtes, the latest first (the lists); by contact (the network view)
            models.Index(
                fields=["owner", "-stage_changed_at", "-id"], name="network_interview_latest"
            ),
            models.Index(fields=["owner", "contact"], name="network_interview_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} — {self.get_stage_display()}"


class StageEvent(models.Model):
    """One dated step of an enquête: the pipeline's history."""

    interview = models.ForeignKey(
        InformationalInterview, on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("le"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("étape d'enquête")

    def __str__(self) -> str:
        return f"{self.interview_id} — {self.stage} ({self.at:%Y-%m-%d})"


class GuideTheme(models.TextChoices):
    """The themes of an interview guide."""

    CAREER = "career", _("Parcours de la personne")
    MISSIONS = "missions", _("Missions et activités")
    SKILLS = "skills", _("Compétences et qualités mobilisées")
    PROS_CONS = "pros_cons", _("Avantages et inconvénients")
    CONDITIONS = "conditions", _("Conditions de travail")
    EVOLUTION = "evolution", _("Évolutions du métier")
    ACCESS = "access", _("Accès au métier et formation")
    ADVICE = "advice", _("Conseils")
    REFERRALS = "referrals", _("Autres personnes à rencontrer")


def _organisations_of(user, roles) -> models.QuerySet:

    return Membership.objects.filter(user=user, role__in=roles, is_active=True).values(
        "organisation_id"
    )


# Who keeps an organisation's interview guides.
GUIDE_EDITOR_ROLES = (Role.COORDINATOR, Role.CONSULTANT)


def _offered() -> models.Q:
    return models.Q(
        models.Exists(GuideQuestion.objects.filter(guide=models.OuterRef("pk"))),
        is_active=True,
    )


class InterviewGuideQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators and consultants see every guide of their organisation (they keep
        them); its beneficiaries see the offered ones (`offered`), read-only. Mentors and other
        organisations see none."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(organisation_id__in=_organisations_of(user, GUIDE_EDITOR_ROLES))
            | models.Q(
                _offered(),
                organisation_id__in=_organisations_of(user, (Role.BENEFICIARY,)),
            )
        )

    def offered(self):
        """The guides beneficiaries are offered: switched on and with at least one question
        (an empty guide would prepare nothing)."""
        return self.filter(_offered())

    def editable_by(self, user):
        """The guides `user` may change: those of the organisations they coordinate or
        consult for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=_organisations_of(user, GUIDE_EDITOR_ROLES))

    def with_question_count(self):
        return self.annotate(question_count=models.Count("questions"))


class InterviewGuide(models.Model):
    """A guide template of the organisation: questions by theme, editable by its
    coordinators and consultants, copied into an enquête when the person prepares it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="interview_guides"
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("proposé aux bénéficiaires"), default=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = InterviewGuideQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("guide d'entretien")
        verbose_name_plural = _("guides d'entretien")

    def __str__(self) -> str:
        return self.title


class GuideQuestion(models.Model):
    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="questions")
    theme = models.CharField(_("thème"), max_length=20, choices=GuideTheme.choices)
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question du guide")

    def __str__(self) -> str:
        return self.text


class InterviewQuestion(models.Model):
    """A question the person prepared for one enquête (from a guide or their own), with the
    notes they took on it."""

    interview = models.ForeignKey(
        InformationalInterview, on_delete=models.CASCADE, related_name="questions"
    )
    theme = models.CharField(_("thème"), max_length=20, choices=GuideTheme.choices)
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question préparée")

    def __str__(self) -> str:
        return self.text


class InterviewNote(models.Model):
    """The person's notes on one theme of one enquête."""

    interview = models.ForeignKey(
        InformationalInterview, on_delete=models.CASCADE, related_name="notes"
    )
    theme = models.CharField(_("thème"), max_length=20, choices=GuideTheme.choices)
    text = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["interview", "theme"]
        verbose_name = _("notes d'entretien")
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "theme"], name="network_one_note_per_theme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interview_id} — {self.theme}"


class NetworkSnapshot(models.Model):
    """The size of a person's network at the start of one week (Monday), so that the trend
    shows on a chart. Taken by a weekly task; one row per person and week."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_snapshots"
    )
    week = models.DateField(_("semaine du"))
    contacts = models.PositiveIntegerField(_("contacts"))
    interviews_done = models.PositiveIntegerField(_("enquêtes réalisées"))
    referrals = models.PositiveIntegerField(_("mises en relation obtenues"))
    sectors = models.PositiveIntegerField(_("secteurs distincts"))
    taken_at = models.DateTimeField(_("relevé le"), auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["owner", "week"]
        verbose_name = _("relevé du réseau")
        constraints = [
            models.UniqueConstraint(fields=["owner", "week"], name="network_one_snapshot_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.week}"


class ContactCeiling(models.Model):
    """How many contacts a person may hold in their network, when a coordinator of their
    organisation set it (without a row: `settings.TISSER_CONTACT_CEILING`). A bound, so that
    one account cannot fill the server; written by `contact_ceiling_set` only."""

    membership = models.OneToOneField(
        "accounts.Membership", on_delete=models.CASCADE, related_name="contact_ceiling"
    )
    ceiling = models.PositiveIntegerField(_("nombre de contacts au plus"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("plafond de contacts")

    def __str__(self) -> str:
        return f"{self.membership} — {self.ceiling}"


class ContactImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the person who imported: the report names rows of a file nobody else saw
        (sharing the network with one's consultant does not share imports)."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def pending(self):
        """Waiting or running, and recent: 5,000 rows take seconds, so an older one was left
        by a worker that died and no longer holds the person back."""
        return self.filter(
            status__in=(ContactImport.Status.WAITING, ContactImport.Status.RUNNING),
            created_at__gte=timezone.now() - ContactImport.STALE_AFTER,
        )


class ContactImport(models.Model):
    """One import of a contacts file read in the background (a large file): the file's bytes
    wait here until the task reads them and are erased as soon as it ends, whatever the
    outcome; what is left is the report the person reads (counts, and the first problems).
    The person's own: nobody else sees it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("impossible")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_imports"
    )
    filename = models.CharField(_("fichier"), max_length=255)
    how_known = models.CharField(max_length=20, choices=HowKnown.choices)
    content = models.BinaryField(null=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_total = models.PositiveIntegerField(null=True)
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    STALE_AFTER = timedelta(minutes=30)

    objects = ContactImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import de contacts")

    def __str__(self) -> str:
        return f"{self.owner} — {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def stale(self) -> bool:
        return not self.finished and self.created_at < timezone.now() - self.STALE_AFTER
