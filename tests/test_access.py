"""Every URL pattern × every role. A new URL pattern fails `test_every_url_is_covered` until
it is added to ACCESS below with the status each role must get.

Statuses: 200 page, LOGIN (a redirect to the sign-in page), 302 another redirect, 401 API
without a session, 404 another role's space, not found or someone else's object (never 403:
ADR 0028), 405 wrong method, 410 unusable invitation link, 286 htmx "stop polling"."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.bilans.synthesis_helpers import validated_synthesis
from tests.factories import member
from tests.quality.helpers_documents import document as quality_document
from tisser.accounts.services import invitation_create
from tisser.assessments import isolation, riasec, values
from tisser.assessments.services import (
    interests_record,
    isolation_check_record,
    safety_concern_tell,
    values_record,
)
from tisser.bilans.models import (
    CompetenceSuggestion,
    Experience,
    Funding,
    ItemKind,
    PortfolioItem,
    ProjectKind,
)
from tisser.bilans.services import (
    ShareRecipient,
    achievement_create,
    bilan_open,
    experience_create,
    project_create,
    project_step_add,
    shortlist_add,
    synthesis_share_create,
)
from tisser.core.enums import Role
from tisser.meetings.models import (
    ActionItem,
    AgendaItem,
    MeetingKind,
    MeetingMode,
    MeetingSeries,
    Occurrence,
    SeriesParticipant,
)
from tisser.meetings.notice_kinds import MeetingNotice
from tisser.mentoring.models import (
    DeclaredConflict,
    Goal,
    MatchingRound,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    ProgressUpdate,
    RoundProposal,
)
from tisser.network.models import ContactImport, GuideTheme, HowKnown, InterviewQuestion
from tisser.network.services import (
    ContactData,
    contact_create,
    interview_start,
    network_sharing_set,
)
from tisser.network.services.guides import interview_guide_install_default
from tisser.notifications.models import Channel, Notification
from tisser.peers.models import (
    Charter,
    Commitment,
    Contribution,
    GroupFormation,
    HelpKind,
    PeerGroup,
    PeerGroupMember,
    PeerProfile,
    ProjectType,
    Promotion,
    Rhythm,
    Stage,
)
from tisser.quality.demo_consultants import demo_proof
from tisser.quality.models import ActionSource, ActionStatus, Audience, AuditExport, ComplaintKind
from tisser.quality.public_defaults import DEFAULTS
from tisser.quality.services.appraisals import (
    InvitationDraft,
    appraisal_invitation_create,
    questionnaire_of,
    questions_asked,
)
from tisser.quality.services.complaints import complaint_raise
from tisser.quality.services.consultants import RecordItemKind, consultant_item_add
from tisser.quality.services.improvements import ActionFields, improvement_action_create
from tisser.quality.services.public import PublicPage, public_offer_save, public_page_publish
from tisser.referentiel.models import DomaineProfessionnel, GrandDomaine, Metier

ROLES = ("anonymous", "beneficiary", "consultant", "mentor", "coordinator")
LOGIN = 0  # a 302 to the sign-in page


@dataclass(frozen=True)
class Case:
    statuses: dict[str, int]
    kwargs: dict = field(default_factory=dict)
    method: str = "get"


def every(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


PRIVATE = {"anonymous": LOGIN}
SPACE = {
    "anonymous": LOGIN,
    "beneficiary": 404,
    "consultant": 404,
    "mentor": 404,
    "coordinator": 404,
}

ACCESS: dict[str, Case] = {
    # Public pages
    "public:home": Case(every(302, anonymous=200)),
    "public:accessibility": Case(every(200)),
    "public:privacy": Case(every(200)),
    "public:invitation_accept": Case(every(410), kwargs={"token": "lien-inconnu"}),
    "set_language": Case(every(302), method="post"),
    "metiers:search": Case(every(200)),
    "metiers:fiche": Case(every(404), kwargs={"code_rome": "Z9999"}),
    # An organisme's public pages, published by another organisation's coordinator
    "quality_public:offer": Case(every(200), kwargs={"slug": "{public_slug}"}),
    "quality_public:results": Case(every(200), kwargs={"slug": "{public_slug}"}),
    # Signed-in pages
    "account:profile": Case(every(200, **PRIVATE)),
    "account:data_export": Case(every(200, **PRIVATE)),
    "account:network_erase": Case(every(302, **PRIVATE), method="post"),
    "invitations:list": Case(every(404, anonymous=LOGIN, consultant=200, coordinator=200)),
    "invitations:revoke": Case(
        every(404, anonymous=LOGIN, consultant=404, coordinator=404),
        kwargs={"invitation_id": "{invitation}"},
        method="post",
    ),
    "invitations:resend": Case(
        every(404, anonymous=LOGIN),
        kwargs={"invitation_id": "{invitation}"},
        method="post",
    ),
    # Rencontres: someone else's series, meeting, agenda item or action is a 404
    "meetings:list": Case(every(200, **PRIVATE)),
    "meetings:series_create": Case(every(404, anonymous=LOGIN, consultant=200, coordinator=200)),
    "meetings:series": Case(every(404, **PRIVATE), kwargs={"series_id": "{series}"}),
    "meetings:series_ics": Case(every(404, **PRIVATE), kwargs={"series_id": "{series}"}),
    "meetings:series_end": Case(
        every(404, **PRIVATE), kwargs={"series_id": "{series}"}, method="post"
    ),
    "meetings:occurrence": Case(every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}),
    "meetings:occurrence_ics": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}
    ),
    "meetings:occurrence_move": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}
    ),
    "meetings:occurrence_cancel": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:agenda_add": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:agenda_move": Case(
        every(404, **PRIVATE), kwargs={"item_id": "{agenda_item}"}, method="post"
    ),
    "meetings:agenda_delete": Case(
        every(404, **PRIVATE), kwargs={"item_id": "{agenda_item}"}, method="post"
    ),
    "meetings:notes_save": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:action_add": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:action_toggle": Case(
        every(404, **PRIVATE), kwargs={"action_id": "{action}"}, method="post"
    ),
    "meetings:attendance": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:attendance_confirm": Case(
        every(404, **PRIVATE), kwargs={"occurrence_id": "{occurrence}"}, method="post"
    ),
    "meetings:feed": Case(every(200, **PRIVATE)),
    # Isolation check: beneficiaries take it; someone else's check or history is a 404
    "assessments:isolation_start": Case({**SPACE, "beneficiary": 200}),
    "assessments:isolation_history": Case({**SPACE, "beneficiary": 200}),
    "assessments:isolation_erase": Case({**SPACE, "beneficiary": 302}, method="post"),
    "assessments:isolation_result": Case(
        every(404, **PRIVATE), kwargs={"check_id": "{isolation_check}"}
    ),
    "assessments:isolation_history_for": Case(
        every(404, **PRIVATE), kwargs={"user_id": "{beneficiary}"}
    ),
    # Safety net: the help page is open to all; a beneficiary says what their situation
    # involves; someone else's request is a 404 (coordinators included)
    "safety:help": Case(every(200)),
    "safety:situation": Case({**SPACE, "beneficiary": 200}),
    "safety:concern": Case(every(404, **PRIVATE), kwargs={"concern_id": "{safety_concern}"}),
    "safety:concern_withdraw": Case(
        every(404, **PRIVATE), kwargs={"concern_id": "{safety_concern}"}, method="post"
    ),
    # Self-inventories (interests, values): beneficiaries take them; someone else's take or
    # results are a 404
    "inventories:interests": Case({**SPACE, "beneficiary": 200}),
    "inventories:interests_take": Case({**SPACE, "beneficiary": 200}),
    "inventories:interests_result": Case(
        every(404, **PRIVATE), kwargs={"response_id": "{interests_response}"}
    ),
    "inventories:interests_for": Case(every(404, **PRIVATE), kwargs={"user_id": "{beneficiary}"}),
    "inventories:values": Case({**SPACE, "beneficiary": 200}),
    "inventories:values_take": Case({**SPACE, "beneficiary": 200}),
    "inventories:values_result": Case(
        every(404, **PRIVATE), kwargs={"response_id": "{values_response}"}
    ),
    "inventories:values_for": Case(every(404, **PRIVATE), kwargs={"user_id": "{beneficiary}"}),
    # Bilans: the consultant opens and runs them, the beneficiary reads theirs and consents;
    # someone else's bilan is a 404
    "bilans:open": Case({**SPACE, "consultant": 200}),
    "bilans:mine": Case({**SPACE, "beneficiary": 200}),
    "bilans:detail": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:phase_advance": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:sessions_plan": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:consent_give": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    # How a bilan ends, its preliminary record: someone else's bilan is a 404 for everyone
    "bilans:end": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:sessions_cancel_future": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:consent_withdraw": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:adaptation": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:adaptation_measure_add": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:adaptation_measure_delete": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:adaptation_withdraw": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:preliminary_edit": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:preliminary_mine": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:synthesis_observations": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    # Document de synthèse, convention, attestation: the bilan's consultant and beneficiary
    # only (a coordinator included, anyone else gets a 404); the recipient's private link is
    # public, an unknown one is a 404 (a withdrawn one a 410, see tests/bilans)
    "bilans:synthesis_edit": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:synthesis_submit": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:synthesis_withdraw": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:synthesis_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:synthesis_pdf_status": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:synthesis_mine": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:synthesis_return": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:synthesis_validate": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:synthesis_share_create": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    # The end of someone else's bilan: final download, results PDF, agreements are a 404
    "bilans:final_download": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:results_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:keep_agreement_withdraw": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "agreement_id": "{bilan}"},
        method="post",
    ),
    "bilans:synthesis_share_revoke": Case(
        every(404, **PRIVATE), kwargs={"share_id": "{synthesis_share}"}, method="post"
    ),
    "bilans:synthesis_shared": Case(every(404), kwargs={"token": "lien-inconnu"}),
    "bilans:synthesis_shared_pdf": Case(every(404), kwargs={"token": "lien-inconnu"}),
    "bilans:convention_edit": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:convention_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:convention_signatures": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:convention_accept": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:contract_edit": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:contract_signatures": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:contract_accept": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:contract_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:funding_edit": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:attestation_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    # CPF dossier: the consultant who runs the bilan (the coordinator has their own page)
    "bilans:cpf_dossier": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    # Émargement (ADR 0018): the sheet for the bilan's parties and its organisation's
    # coordinators, the confirmation and the entretien recorded afterwards for its consultant
    "bilans:emargement_pdf": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:entretien_confirm": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "occurrence_id": "{occurrence}"},
        method="post",
    ),
    "bilans:entretien_unplanned": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    # Entretiens, private notes, follow-up, satisfaction: someone else's bilan is a 404
    "bilans:sessions": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:session_note": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "occurrence_id": "{occurrence}"}
    ),
    "bilans:followup": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:followup_answer": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:followup_notes": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}, method="post"
    ),
    "bilans:satisfaction": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "moment": "fin"}
    ),
    # Investigation tools of someone else's bilan: a 404 for everyone
    "bilans:parcours": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:experience_edit": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "experience_id": "{experience}"}
    ),
    "bilans:experience_delete": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "experience_id": "{experience}"},
        method="post",
    ),
    "bilans:experience_fiche_add": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "experience_id": "{experience}"},
        method="post",
    ),
    "bilans:experience_fiche_remove": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "experience_id": "{experience}"},
        method="post",
    ),
    "bilans:achievements": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:achievement_edit": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "achievement_id": "{achievement}"}
    ),
    "bilans:achievement_delete": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "achievement_id": "{achievement}"},
        method="post",
    ),
    "bilans:suggestion_accept": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "suggestion_id": "{suggestion}"},
        method="post",
    ),
    "bilans:suggestion_reject": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "suggestion_id": "{suggestion}"},
        method="post",
    ),
    "bilans:portfolio": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:portfolio_add": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:portfolio_item_edit": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "item_id": "{portfolio_item}"}
    ),
    "bilans:portfolio_item_remove": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "item_id": "{portfolio_item}"},
        method="post",
    ),
    "bilans:aspirations": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    # Exploration and projects: the beneficiary and their consultant only; writes are the
    # beneficiary's; someone else's bilan, entry, project, check or step is a 404
    "bilans:pistes": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:gap_search": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:gap": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "code_rome": "{code_rome}"}
    ),
    "bilans:gap_mine": Case({**SPACE, "beneficiary": 404}, kwargs={"code_rome": "Z9999"}),
    "bilans:fiche_shortlist": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "code_rome": "{code_rome}"},
        method="post",
    ),
    "bilans:fiche_dismiss": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "code_rome": "{code_rome}"},
        method="post",
    ),
    "bilans:fiche_restore": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "code_rome": "{code_rome}"},
        method="post",
    ),
    "bilans:shortlist": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:shortlist_update": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "entry_id": "{shortlist_entry}"},
        method="post",
    ),
    "bilans:shortlist_remove": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "entry_id": "{shortlist_entry}"},
        method="post",
    ),
    "bilans:projects": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:project_create": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "bilans:project": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "project_id": "{project}"}
    ),
    "bilans:project_update": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "project_id": "{project}"}
    ),
    "bilans:project_delete": Case(
        every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}", "project_id": "{project}"}
    ),
    "bilans:project_prefer": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}"},
        method="post",
    ),
    "bilans:project_check_update": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}", "check_id": "{check}"},
        method="post",
    ),
    "bilans:project_step_add": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}"},
        method="post",
    ),
    "bilans:project_step_update": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}", "step_id": "{step}"},
    ),
    "bilans:project_step_complete": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}", "step_id": "{step}"},
        method="post",
    ),
    "bilans:project_step_remove": Case(
        every(404, **PRIVATE),
        kwargs={"bilan_id": "{bilan}", "project_id": "{project}", "step_id": "{step}"},
        method="post",
    ),
    # Notifications: everyone signed in has a centre; someone else's notification is a 404
    "notifications:list": Case(every(200, **PRIVATE)),
    "notifications:read": Case(
        every(404, **PRIVATE), kwargs={"notification_id": "{notification}"}, method="post"
    ),
    "notifications:read_all": Case(every(302, **PRIVATE), method="post"),
    "notifications:badge": Case(every(200, anonymous=286)),  # htmx: "stop polling"
    "coordinator:failures": Case({**SPACE, "coordinator": 200}),
    "coordinator:bilans": Case({**SPACE, "coordinator": 200}),
    # The organisme's identity (ADR 0018); no logo saved yet: a 404
    "quality:disability": Case({**SPACE, "coordinator": 200}),
    "quality:disability_csv": Case({**SPACE, "coordinator": 200}),
    # Quality (issue #18): complaints (seen by their author and the coordinators) and the
    # coordinators' improvement actions; the organisme's public complaint form
    "quality:complaint_raise": Case(every(200, anonymous=LOGIN, coordinator=404)),
    "quality:my_complaint": Case(every(404, **PRIVATE), kwargs={"complaint_id": "{complaint}"}),
    "quality:complaints": Case({**SPACE, "coordinator": 200}),
    "quality:complaint": Case(SPACE, kwargs={"complaint_id": "{complaint}"}),
    "quality:actions": Case({**SPACE, "coordinator": 200}),
    "quality:action_new": Case({**SPACE, "coordinator": 200}),
    "quality:action": Case(SPACE, kwargs={"action_id": "{improvement_action}"}),
    "quality_public:complaint": Case(every(200), kwargs={"slug": "{organisation_slug}"}),
    "quality_public:complaint_sent": Case(every(200), kwargs={"slug": "{organisation_slug}"}),
    "coordinator:identity": Case({**SPACE, "coordinator": 200}),
    # Consultants' records (Qualiopi 21, 22): one's own, or every consultant's for their
    # coordinator; another organisation's consultant is a 404 for everyone
    "quality:consultant_record_mine": Case({**SPACE, "consultant": 302}),
    "quality:consultant_list": Case({**SPACE, "coordinator": 200}),
    "quality:consultant_record": Case(SPACE, kwargs={"membership_id": "{consultant_membership}"}),
    "quality:consultant_record_pdf": Case(
        SPACE, kwargs={"membership_id": "{consultant_membership}"}
    ),
    "quality:consultant_profile_edit": Case(
        SPACE, kwargs={"membership_id": "{consultant_membership}"}
    ),
    "quality:consultant_item_add": Case(
        SPACE, kwargs={"membership_id": "{consultant_membership}", "kind": "formations"}
    ),
    "quality:consultant_item_edit": Case(
        SPACE,
        kwargs={
            "membership_id": "{consultant_membership}",
            "kind": "formations",
            "item_id": "{consultant_training}",
        },
    ),
    "quality:consultant_item_delete": Case(
        SPACE,
        kwargs={
            "membership_id": "{consultant_membership}",
            "kind": "formations",
            "item_id": "{consultant_training}",
        },
        method="post",
    ),
    "quality:consultant_item_proof": Case(
        SPACE,
        kwargs={
            "membership_id": "{consultant_membership}",
            "kind": "formations",
            "item_id": "{consultant_training}",
        },
    ),
    "coordinator:identity_logo": Case({**SPACE, "coordinator": 404}),
    "quality:publication": Case({**SPACE, "coordinator": 200}),
    # Posted without a page: nothing to publish.
    "quality:publication_publish": Case({**SPACE, "coordinator": 404}, method="post"),
    "quality:publication_preview": Case({**SPACE, "coordinator": 200}, kwargs={"page": "offre"}),
    "coordinator:bilans_csv": Case({**SPACE, "coordinator": 200}),
    # Qualiopi: the indicator map and the organisme's documents (ADR 0033); another
    # organisation's document is a 404, its deletion too
    "quality:indicators": Case({**SPACE, "coordinator": 200}),
    "quality:documents": Case({**SPACE, "coordinator": 200}),
    "quality:document": Case(
        {**SPACE, "coordinator": 404}, kwargs={"document_id": "{organisme_document}"}
    ),
    "quality:document_file": Case(
        {**SPACE, "coordinator": 404}, kwargs={"document_id": "{organisme_document}"}
    ),
    "quality:document_delete": Case(
        {**SPACE, "coordinator": 404},
        kwargs={"document_id": "{organisme_document}"},
        method="post",
    ),
    # The programme's outcomes (issue #17): aggregates of the coordinator's organisation only
    "coordinator:outcomes": Case({**SPACE, "coordinator": 200}),
    "coordinator:outcomes_csv": Case({**SPACE, "coordinator": 200}),
    # What people keep of the suggested compétences (ADR 0040): the organisation's aggregates
    "coordinator:suggestions": Case({**SPACE, "coordinator": 200}),
    "coordinator:suggestions_csv": Case({**SPACE, "coordinator": 200}),
    # The organisme's bilans one by one and their hand-over, the consultants of record
    # (ADR 0021): the coordinator's own organisation only, another one's bilan is a 404
    "coordinator:bilan_list": Case({**SPACE, "coordinator": 200}),
    "coordinator:bilan": Case({**SPACE, "coordinator": 404}, kwargs={"bilan_id": "{bilan}"}),
    "coordinator:bilan_hand_over": Case(
        {**SPACE, "coordinator": 404}, kwargs={"bilan_id": "{bilan}"}
    ),
    "coordinator:beneficiaries": Case({**SPACE, "coordinator": 200}),
    "coordinator:beneficiary_consultant": Case(
        {**SPACE, "coordinator": 404}, kwargs={"membership_id": "{beneficiary_membership}"}
    ),
    # CPF dossiers and BPF: the coordinator's; another organisation's bilan is a 404
    "coordinator:cpf": Case({**SPACE, "coordinator": 200}),
    "coordinator:cpf_service_fait": Case({**SPACE, "coordinator": 200}),
    "coordinator:cpf_service_fait_csv": Case({**SPACE, "coordinator": 200}),
    "coordinator:cpf_dossier": Case({**SPACE, "coordinator": 404}, kwargs={"bilan_id": "{bilan}"}),
    "coordinator:bpf": Case({**SPACE, "coordinator": 200}),
    "coordinator:bpf_csv": Case({**SPACE, "coordinator": 200}),
    "coordinator:contact_ceilings": Case({**SPACE, "coordinator": 200}),
    "coordinator:contact_ceiling": Case(
        {**SPACE, "coordinator": 404}, kwargs={"membership_id": "{beneficiary_membership}"}
    ),
    # A person who leaves (ADR 0019): the coordinator's own organisation only; the member
    # used here belongs to another organisation, so even its coordination gets a 404
    "coordinator:departures": Case({**SPACE, "coordinator": 200}),
    "coordinator:departure_erase": Case(
        {**SPACE, "coordinator": 404}, kwargs={"membership_id": "{beneficiary_membership}"}
    ),
    # The auditor's export (issue #18): the coordinator's page; another organisation's export,
    # its status and its archive are a 404 for everyone, its coordination included
    "quality:exports": Case({**SPACE, "coordinator": 200}),
    "quality:export_status": Case(
        {**SPACE, "coordinator": 404}, kwargs={"export_id": "{audit_export}"}
    ),
    "quality:export_download": Case(
        {**SPACE, "coordinator": 404}, kwargs={"export_id": "{audit_export}"}
    ),
    "notifications:preferences": Case(every(200, **PRIVATE)),
    "meetings:feed_ics": Case(every(404), kwargs={"token": "secret-inconnu"}),
    # Network import and export: the beneficiary's own contacts; someone else's contact's
    # vCard is a 404 for everyone
    "network:contacts_import": Case({**SPACE, "beneficiary": 200}),
    "network:contacts_import_progress": Case(
        every(404, **PRIVATE), kwargs={"import_id": "{contact_import}"}
    ),
    "network:contacts_export": Case({**SPACE, "beneficiary": 200}),
    "network:contacts_export_csv": Case({**SPACE, "beneficiary": 200}),
    "network:contacts_export_vcard": Case({**SPACE, "beneficiary": 200}),
    "network:contact_vcard": Case(every(404, **PRIVATE), kwargs={"contact_id": "{contact}"}),
    # Mon réseau: the beneficiary's own pages; someone else's contact or enquête is a 404; the
    # consultant sees the network of a beneficiary they invited (someone else's: 404)
    "network:home": Case({**SPACE, "beneficiary": 200}),
    "network:sharing_set": Case({**SPACE, "beneficiary": 302}, method="post"),
    "network:metier_picker": Case({**SPACE, "beneficiary": 200}),
    "network:contacts": Case({**SPACE, "beneficiary": 200}),
    "network:contact_create": Case({**SPACE, "beneficiary": 200}),
    "network:duplicates": Case({**SPACE, "beneficiary": 200}),
    "network:contact_merge": Case(
        {**SPACE, "beneficiary": 404},
        kwargs={"keep_id": "{contact}", "remove_id": "{other_contact}"},
    ),
    "network:contact": Case({**SPACE, "beneficiary": 404}, kwargs={"contact_id": "{contact}"}),
    "network:contact_update": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"contact_id": "{contact}"}
    ),
    "network:contact_delete": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"contact_id": "{contact}"}, method="post"
    ),
    "network:interview_create": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"contact_id": "{contact}"}
    ),
    "network:interviews": Case({**SPACE, "beneficiary": 200}),
    "network:interview_list": Case({**SPACE, "beneficiary": 200}),
    "network:interview": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"interview_id": "{interview}"}
    ),
    "network:interview_advance": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"interview_id": "{interview}"}, method="post"
    ),
    "network:interview_undo": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"interview_id": "{interview}"}, method="post"
    ),
    "network:interview_outcome": Case(
        {**SPACE, "beneficiary": 404}, kwargs={"interview_id": "{interview}"}, method="post"
    ),
    "network:for_beneficiary": Case(
        {**SPACE, "consultant": 404}, kwargs={"user_id": "{beneficiary}"}
    ),
    # Network (issue #5): interview guides of the organisation (coordinators and consultants
    # keep them, beneficiaries read them), an enquête's preparation, notes and synthesis, the
    # comparison per fiche, the to-dos; another organisation's guide or someone else's
    # enquête is a 404
    "network:guides": Case({**SPACE, "beneficiary": 200, "consultant": 200, "coordinator": 200}),
    "network:guide_create": Case({**SPACE, "consultant": 200, "coordinator": 200}),
    "network:guide": Case(every(404, **PRIVATE), kwargs={"guide_id": "{guide}"}),
    "network:guide_question_add": Case(
        every(404, **PRIVATE), kwargs={"guide_id": "{guide}"}, method="post"
    ),
    "network:guide_question_edit": Case(
        every(404, **PRIVATE), kwargs={"question_id": "{guide_question}"}
    ),
    "network:guide_question_move": Case(
        every(404, **PRIVATE), kwargs={"question_id": "{guide_question}"}, method="post"
    ),
    "network:guide_question_delete": Case(
        every(404, **PRIVATE), kwargs={"question_id": "{guide_question}"}, method="post"
    ),
    "network:interview_prepare": Case(
        every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}
    ),
    "network:interview_guide_apply": Case(
        every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}, method="post"
    ),
    "network:interview_question_add": Case(
        every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}, method="post"
    ),
    "network:interview_question_move": Case(
        every(404, **PRIVATE),
        kwargs={"interview_id": "{interview}", "question_id": "{interview_question}"},
        method="post",
    ),
    "network:interview_question_delete": Case(
        every(404, **PRIVATE),
        kwargs={"interview_id": "{interview}", "question_id": "{interview_question}"},
        method="post",
    ),
    "network:interview_print": Case(every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}),
    "network:interview_notes": Case(every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}),
    "network:interview_synthesis": Case(
        every(404, **PRIVATE), kwargs={"interview_id": "{interview}"}, method="post"
    ),
    # A fiche is public (ROME); the page only ever shows the person's own enquêtes on it
    "network:fiche_compare": Case(
        {**SPACE, "beneficiary": 200}, kwargs={"code_rome": "{code_rome}"}
    ),
    "network:todos": Case({**SPACE, "beneficiary": 200}),
    # Mon réseau en image: the beneficiary's own; someone else's is a 404, even shared
    "network:graph": Case({**SPACE, "beneficiary": 200}),
    "network:graph_for": Case(every(404, **PRIVATE), kwargs={"user_id": "{beneficiary}"}),
    # Mentorship space: only its two members; someone else's mentorship (or goal) is a 404 for
    # every role, the coordination's included; the coordination has the health overview
    "mentoring:mentorship": Case(every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}),
    "mentoring:agreement": Case(every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}),
    "mentoring:agreement_sign": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:goal_add": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:goal_edit": Case(every(404, **PRIVATE), kwargs={"goal_id": "{goal}"}),
    "mentoring:update_add": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:feedback": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}", "stage": "day_30"}
    ),
    "mentoring:close": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:extend": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:pause": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:resume": Case(
        every(404, **PRIVATE), kwargs={"mentorship_id": "{mentorship}"}, method="post"
    ),
    "mentoring:health": Case({**SPACE, "coordinator": 200}),
    # Mentorat — profiles: a mentor's own profile, a beneficiary's needs, the coordination's
    # pool, mentees and incompatibilities; another organisation's profile or pair is a 404
    "mentoring:mentor_profile": Case({**SPACE, "mentor": 200}),
    "mentoring:mentor_profile_submit": Case({**SPACE, "mentor": 404}, method="post"),
    "mentoring:mentor_profile_pause": Case({**SPACE, "mentor": 404}, method="post"),
    "mentoring:mentee_needs": Case({**SPACE, "beneficiary": 200}),
    "mentoring:pool": Case({**SPACE, "coordinator": 200}),
    "mentoring:pool_profile": Case(
        {**SPACE, "coordinator": 404}, kwargs={"profile_id": "{mentor_profile}"}
    ),
    "mentoring:pool_profile_review": Case(
        {**SPACE, "coordinator": 404}, kwargs={"profile_id": "{mentor_profile}"}, method="post"
    ),
    "mentoring:mentees": Case({**SPACE, "coordinator": 200}),
    "mentoring:mentee_cohort": Case(
        {**SPACE, "coordinator": 404}, kwargs={"profile_id": "{mentee_profile}"}, method="post"
    ),
    "mentoring:conflicts": Case({**SPACE, "coordinator": 200}),
    "mentoring:conflict_delete": Case(
        {**SPACE, "coordinator": 404},
        kwargs={"conflict_id": "{declared_conflict}"},
        method="post",
    ),
    # Mentorat, demandes: suggestions and the requests list are the mentee's (and, for the list,
    # the mentor's); a foreign mentor, or a request one is not party to, is a 404 for everyone
    "mentoring:suggestions": Case({**SPACE, "beneficiary": 200}),
    "mentoring:mentor_detail": Case(
        every(404, **PRIVATE), kwargs={"profile_id": "{mentor_profile}"}
    ),
    "mentoring:request_create": Case(
        every(404, **PRIVATE), kwargs={"profile_id": "{mentor_profile}"}
    ),
    "mentoring:requests": Case({**SPACE, "beneficiary": 200, "mentor": 200}),
    "mentoring:request_detail": Case(
        every(404, **PRIVATE), kwargs={"request_id": "{mentorship_request}"}
    ),
    "mentoring:request_accept": Case(
        every(404, **PRIVATE), kwargs={"request_id": "{mentorship_request}"}, method="post"
    ),
    "mentoring:request_decline": Case(
        every(404, **PRIVATE), kwargs={"request_id": "{mentorship_request}"}, method="post"
    ),
    "mentoring:request_withdraw": Case(
        every(404, **PRIVATE), kwargs={"request_id": "{mentorship_request}"}, method="post"
    ),
    # Mentorat, matching rounds: the coordination of the organisation only; another
    # organisation's round or proposal is a 404 for every role
    "mentoring:rounds": Case({**SPACE, "coordinator": 200}),
    "mentoring:round_create": Case({**SPACE, "coordinator": 400}, method="post"),
    "mentoring:round": Case(every(404, **PRIVATE), kwargs={"round_id": "{matching_round}"}),
    "mentoring:proposal_decide": Case(
        every(404, **PRIVATE),
        kwargs={"round_id": "{matching_round}", "proposal_id": "{round_proposal}"},
        method="post",
    ),
    "mentoring:proposal_choose": Case(
        every(404, **PRIVATE),
        kwargs={"round_id": "{matching_round}", "proposal_id": "{round_proposal}"},
    ),
    "mentoring:round_accept_all": Case(
        every(404, **PRIVATE), kwargs={"round_id": "{matching_round}"}, method="post"
    ),
    "mentoring:round_publish": Case(
        every(404, **PRIVATE), kwargs={"round_id": "{matching_round}"}, method="post"
    ),
    "mentoring:round_discard": Case(
        every(404, **PRIVATE), kwargs={"round_id": "{matching_round}"}, method="post"
    ),
    # Mentorat: the hub of mentees, mentors and the coordination
    "mentoring:home": Case({**SPACE, "beneficiary": 200, "mentor": 200, "coordinator": 200}),
    # Groupes de pairs, a participant's side: the hub and preferences are the beneficiary's;
    # a group's pages are for its current members only (a foreign group is a 404 for every
    # role, the coordination's included)
    "peers:home": Case({**SPACE, "beneficiary": 200}),
    "peers:preferences": Case({**SPACE, "beneficiary": 200}),
    "peers:group": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}),
    "peers:accept": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}, method="post"),
    "peers:leave": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}),
    "peers:charter": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}),
    "peers:charter_agree": Case(
        every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}, method="post"
    ),
    "peers:prepare": Case(
        every(404, **PRIVATE),
        kwargs={"group_id": "{peer_group}", "occurrence_id": "{occurrence}"},
    ),
    # Groupes de pairs, the group's life: members only (someone else's group or commitment is a
    # 404, the coordination's included); the health overview is the coordination's
    "peers:commitments": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}),
    "peers:commitment_add": Case(
        every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}, method="post"
    ),
    "peers:commitment_edit": Case(every(404, **PRIVATE), kwargs={"commitment_id": "{commitment}"}),
    "peers:commitment_checkin": Case(
        every(404, **PRIVATE), kwargs={"commitment_id": "{commitment}"}, method="post"
    ),
    "peers:help": Case(every(404, **PRIVATE), kwargs={"group_id": "{peer_group}"}),
    "peers:health": Case({**SPACE, "coordinator": 200}),
    # Groupes de pairs, promotions (ADR 0023): the coordination of the organisation only, a
    # 404 for every other role; another organisation's promotion is a 404
    "peers:promotions": Case({**every(404, **PRIVATE), "coordinator": 200}),
    "peers:promotion_create": Case({**every(404, **PRIVATE), "coordinator": 400}, method="post"),
    "peers:promotion_place": Case({**every(404, **PRIVATE), "coordinator": 400}, method="post"),
    "peers:promotion_rename": Case(
        every(404, **PRIVATE), kwargs={"promotion_id": "{peer_promotion}"}
    ),
    # Groupes de pairs, late joiners and repairs: the coordination of the organisation only;
    # another organisation's person or group is a 404
    "peers:arrivals": Case({**SPACE, "coordinator": 200}),
    "peers:arrival_place": Case(
        {**SPACE, "coordinator": 404}, kwargs={"profile_id": "{peer_profile}"}, method="post"
    ),
    "peers:repairs": Case({**SPACE, "coordinator": 200}),
    "peers:repair_apply": Case(
        {**SPACE, "coordinator": 404}, kwargs={"group_id": "{peer_group}"}, method="post"
    ),
    "peers:group_end": Case({**SPACE, "coordinator": 404}, kwargs={"group_id": "{peer_group}"}),
    # Groupes de pairs, forming groups: the coordination of the organisation only; another
    # organisation's formation is a 404 for every role
    "peers:formations": Case({**SPACE, "coordinator": 200}),
    "peers:formation_create": Case({**SPACE, "coordinator": 400}, method="post"),
    "peers:formation": Case(every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}),
    "peers:formation_status": Case(
        every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}
    ),
    "peers:formation_move": Case(
        every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}, method="post"
    ),
    "peers:formation_lock": Case(
        every(404, **PRIVATE),
        kwargs={"formation_id": "{group_formation}", "group_id": "{peer_group}"},
        method="post",
    ),
    "peers:formation_rerun": Case(
        every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}, method="post"
    ),
    "peers:formation_publish": Case(
        every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}, method="post"
    ),
    "peers:formation_discard": Case(
        every(404, **PRIVATE), kwargs={"formation_id": "{group_formation}"}, method="post"
    ),
    # Qualiopi, appraisals by the stakeholders (indicator 30): the coordination's results and
    # questionnaires; an invitation by the coordination or a consultant; a consultant's
    # appraisal of a bilan they led; the employer's or funder's page, without an account (an
    # unknown link is a 404 page, a used or expired one a 410). Another organisation's
    # question or bilan is a 404.
    "quality:appraisals": Case({**SPACE, "coordinator": 200}),
    "quality:appraisal_invite": Case(every(404, anonymous=LOGIN, consultant=200, coordinator=200)),
    "quality:appraisal_questionnaire": Case(
        {**SPACE, "coordinator": 200}, kwargs={"audience": "employer"}
    ),
    "quality:appraisal_invitation_resend": Case(
        SPACE, kwargs={"invitation_id": "{appraisal_invitation}"}, method="post"
    ),
    "quality:appraisal_question_edit": Case(
        SPACE, kwargs={"question_id": "{appraisal_question}"}, method="post"
    ),
    "quality:appraisal_consultant": Case(every(404, **PRIVATE), kwargs={"bilan_id": "{bilan}"}),
    "quality_public:appraisal": Case(every(404), kwargs={"token": "lien-inconnu"}),
    "beneficiary:home": Case({**SPACE, "beneficiary": 200}),
    "consultant:home": Case({**SPACE, "consultant": 200}),
    # A beneficiary's story: their consultant of record only; another organisation's person
    # is a 404 for everyone (coordinators included: they never see it)
    "consultant:story": Case(every(404, **PRIVATE), kwargs={"user_id": "{beneficiary}"}),
    "mentor:home": Case({**SPACE, "mentor": 200}),
    "coordinator:home": Case({**SPACE, "coordinator": 200}),
    # API: a session is required, 401 otherwise
    "api-v1:api-root": Case(every(404)),
    "api-v1:openapi-json": Case(every(200, anonymous=401)),
    "api-v1:openapi-view": Case(every(200, anonymous=401)),
    "api-v1:metier_search": Case(every(200, anonymous=401)),
    "api-v1:metier_detail": Case(every(404, anonymous=401), kwargs={"code_rome": "Z9999"}),
    # django-allauth: sign-in, password, email, two-factor
    "account_login": Case(every(302, anonymous=200)),
    "account_logout": Case(every(200, anonymous=302)),
    "account_inactive": Case(every(200)),
    "account_signup": Case(every(302, anonymous=200)),
    "account_reauthenticate": Case(every(200, **PRIVATE)),
    "account_email": Case(every(200, **PRIVATE)),
    "account_email_verification_sent": Case(every(200)),
    "account_change_password": Case(every(200, **PRIVATE)),
    "account_set_password": Case(every(302, anonymous=LOGIN)),
    "account_reset_password": Case(every(200)),
    "account_confirm_login_code": Case(every(302, anonymous=LOGIN)),
    "account_confirm_email": Case(every(200), kwargs={"key": "cle-inconnue"}),
    "account_reset_password_from_key_done": Case(every(200)),
    "account_reset_password_from_key": Case(every(200), kwargs={"uidb36": "0", "key": "x-y"}),
    "account_reset_password_done": Case(every(200)),
    "mfa_index": Case(every(200, **PRIVATE)),
    "mfa_authenticate": Case(every(302, anonymous=LOGIN)),
    "mfa_reauthenticate": Case(every(302, anonymous=LOGIN, consultant=200, coordinator=200)),
    "mfa_activate_totp": Case(every(302, anonymous=LOGIN)),
    "mfa_deactivate_totp": Case(every(404, anonymous=LOGIN, consultant=302, coordinator=302)),
    "mfa_view_recovery_codes": Case(every(404, anonymous=LOGIN, consultant=302, coordinator=302)),
    "mfa_generate_recovery_codes": Case(every(302, anonymous=LOGIN)),
    "mfa_download_recovery_codes": Case(
        every(404, anonymous=LOGIN, consultant=302, coordinator=302)
    ),
}


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_covered():
    missing = sorted(set(url_names()) - set(ACCESS))
    assert not missing, f"URL patterns without an access rule in tests/test_access.py: {missing}"


def test_no_unnamed_url_pattern():
    def unnamed(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from unnamed(pattern.url_patterns)
            elif not pattern.name:
                yield str(pattern.pattern)

    assert list(unnamed(get_resolver().url_patterns)) == []


@pytest.fixture
def foreign(db):
    """Objects of another organisation: nobody in `people` may see or touch them."""
    outsider = member(Role.COORDINATOR)
    organisation = outsider.memberships.get().organisation
    invitation = invitation_create(
        inviter=outsider,
        inviter_membership=outsider.memberships.get(),
        email="ailleurs@example.org",
        role=Role.MENTOR,
    ).invitation
    start = timezone.now() + timedelta(days=3)
    series = MeetingSeries.objects.create(
        organisation=organisation,
        kind=MeetingKind.OTHER,
        title="Ailleurs",
        created_by=outsider,
        first_start=start,
        mode=MeetingMode.PHONE,
    )
    SeriesParticipant.objects.create(
        series=series, user=outsider, role=SeriesParticipant.ParticipantRole.ORGANISER
    )
    occurrence = Occurrence.objects.create(
        series=series,
        original_start=start,
        start=start,
        end=start + timedelta(hours=1),
        mode=MeetingMode.PHONE,
    )
    agenda_item = AgendaItem.objects.create(
        occurrence=occurrence, author=outsider, kind=AgendaItem.Kind.QUESTION, text="?"
    )
    action = ActionItem.objects.create(
        series=series, occurrence=occurrence, owner=outsider, created_by=outsider, text="!"
    )
    notification = Notification.objects.create(
        recipient=outsider,
        channel=Channel.IN_APP,
        kind=MeetingNotice.MEETING_REMINDER,
        idempotency_key="ailleurs:notification",
        subject="Ailleurs",
        body="Ailleurs",
        scheduled_for=start,
        status=Notification.Status.SENT,
    )
    organisme_document = quality_document(outsider)
    beneficiary = member(Role.BENEFICIARY, organisation, invited_by=outsider)
    isolation_check = isolation_check_record(
        user=beneficiary, moment="start", answers={item.id: 3 for item in isolation.ITEMS}
    )
    interests_response = interests_record(
        user=beneficiary, answers={item.id: 3 for item in riasec.ITEMS}
    )
    values_response = values_record(user=beneficiary, answers={item.id: 3 for item in values.ITEMS})
    consultant = member(Role.CONSULTANT, organisation)
    bilan_beneficiary = member(Role.BENEFICIARY, organisation, invited_by=consultant)
    bilan = bilan_open(consultant=consultant, beneficiary=bilan_beneficiary, funding=Funding.CPF)
    safety_concern = safety_concern_tell(
        user=bilan_beneficiary, situation="harassment", note="Ailleurs", consent=True
    )
    metier = Metier.objects.create(
        code_rome="Z9998",
        code_ogr=1,
        libelle="Ailleurs",
        domaine=DomaineProfessionnel.objects.create(
            code="Z99",
            libelle="Ailleurs",
            grand_domaine=GrandDomaine.objects.create(code="Z", libelle="Ailleurs"),
        ),
    )
    entry = shortlist_add(actor=bilan_beneficiary, bilan=bilan, metier=metier)
    project = project_create(
        actor=bilan_beneficiary, bilan=bilan, kind=ProjectKind.TRAINING, title="Ailleurs"
    )
    step = project_step_add(
        actor=bilan_beneficiary, project=project, title="Ailleurs", due_on=start.date()
    )
    experience = experience_create(
        actor=bilan_beneficiary,
        bilan=bilan,
        kind=Experience.Kind.JOB,
        title="Ailleurs",
        started_on=date(2020, 1, 1),
    )
    achievement = achievement_create(
        actor=bilan_beneficiary,
        bilan=bilan,
        title="Ailleurs",
        situation="?",
        action="!",
        result=".",
    )
    suggestion = CompetenceSuggestion.objects.create(
        achievement=achievement, code_ogr=1, label="Ailleurs", score=1.0
    )
    portfolio_item = PortfolioItem.objects.create(
        bilan=bilan, kind=ItemKind.SAVOIR, code_ogr=1, label="Ailleurs", level=2
    )
    validated_synthesis(bilan)
    share = synthesis_share_create(
        beneficiary=bilan.beneficiary,
        document=bilan.synthesis,
        recipient=ShareRecipient(
            name="Camille Ailleurs",
            email="cep@example.org",
            role="Conseillère en évolution professionnelle",
            purpose="Ailleurs",
        ),
    ).share
    # Mon réseau: a foreign beneficiary's contacts and enquête, shared with their consultant
    contact = contact_create(
        owner=beneficiary, data=ContactData(last_name="Ailleurs", how_known=HowKnown.OTHER)
    )
    other_contact = contact_create(
        owner=beneficiary, data=ContactData(last_name="Ailleurs", how_known=HowKnown.OTHER)
    )
    interview = interview_start(owner=beneficiary, contact=contact, metier=metier)
    network_sharing_set(owner=beneficiary, with_consultant=True)
    contact_import = ContactImport.objects.create(
        owner=beneficiary, filename="ailleurs.csv", how_known=HowKnown.OTHER
    )
    guide = interview_guide_install_default(organisation=organisation)
    audit_export = AuditExport.objects.create(
        organisation=organisation,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 6, 30),
        requested_by=outsider,
        status=AuditExport.Status.READY,
        expires_at=timezone.now() + timedelta(days=7),
    )
    interview_question = InterviewQuestion.objects.create(
        interview=interview, theme=GuideTheme.CAREER, text="Ailleurs ?"
    )
    # Mentorat: a foreign mentor's profile, a request to them, a round and a mentorship
    mentor_profile = MentorProfile.objects.create(
        organisation=organisation,
        user=member(Role.MENTOR, organisation),
        status=MentorProfile.Status.VALIDATED,
        headline="Ailleurs",
        career_path="Ailleurs",
        motivation="Ailleurs",
        languages=["fr"],
    )
    mentee_profile = MenteeProfile.objects.create(
        organisation=organisation, user=beneficiary, languages=["fr"]
    )
    mentorship_request = MentorshipRequest.objects.create(
        organisation=organisation,
        mentee=beneficiary,
        mentor=mentor_profile,
        message="Ailleurs",
        sent_at=start,
        respond_by=start + timedelta(days=7),
    )
    matching_round = MatchingRound.objects.create(organisation=organisation, created_by=outsider)
    round_proposal = RoundProposal.objects.create(
        round=matching_round, mentee=bilan_beneficiary, proposed_mentor=mentor_profile
    )
    mentorship = Mentorship.objects.create(
        organisation=organisation,
        mentee=bilan_beneficiary,
        mentor=mentor_profile,
        origin=Mentorship.Origin.ROUND,
        started_at=start,
        planned_end=start.date() + timedelta(days=180),
        last_activity_at=start,
    )
    goal = Goal.objects.create(mentorship=mentorship, title="Ailleurs")
    progress_update = ProgressUpdate.objects.create(
        mentorship=mentorship, author=bilan_beneficiary, text="Ailleurs"
    )
    declared_conflict = DeclaredConflict.objects.create(
        organisation=organisation,
        mentee=beneficiary,
        mentor=mentor_profile,
        reason=DeclaredConflict.Reason.DECLARED_CONFLICT,
    )
    # Groupes de pairs: a foreign cohort's preferences, formation, group and its life
    peer_profile = PeerProfile.objects.create(
        organisation=organisation,
        user=beneficiary,
        stage=Stage.EXPLORING,
        project_type=ProjectType.RECONVERSION,
        rhythm=Rhythm.WEEKLY,
        languages=["fr"],
    )
    group_formation = GroupFormation.objects.create(organisation=organisation, created_by=outsider)
    peer_promotion = Promotion.objects.create(organisation=organisation, name="Ailleurs")
    peer_group = PeerGroup.objects.create(
        organisation=organisation, formation=group_formation, name="Ailleurs"
    )
    peer_member = PeerGroupMember.objects.create(
        group=peer_group, user=beneficiary, status=PeerGroupMember.Status.ACCEPTED
    )
    PeerGroupMember.objects.create(
        group=peer_group, user=bilan_beneficiary, status=PeerGroupMember.Status.ACCEPTED
    )
    charter = Charter.objects.create(
        group=peer_group, shared_goals="Ailleurs", confidentiality="?", reciprocity="!"
    )
    commitment = Commitment.objects.create(
        group=peer_group,
        user=beneficiary,
        period_start=start.date(),
        period_end=start.date() + timedelta(days=6),
        text="Ailleurs",
    )
    contribution = Contribution.objects.create(
        group=peer_group,
        giver=beneficiary,
        receiver=bilan_beneficiary,
        kind=HelpKind.FEEDBACK,
        recorded_by=beneficiary,
    )
    complaint = complaint_raise(
        author=beneficiary,
        organisation=organisation,
        kind=ComplaintKind.COMPLAINT,
        subject="Ailleurs",
        description="Une réclamation d'une autre organisation.",
    )
    improvement_action = improvement_action_create(
        coordinator=outsider,
        organisation=organisation,
        fields=ActionFields(
            title="Ailleurs",
            description="",
            source=ActionSource.AUDIT,
            source_reference="",
            owner=None,
            due_on=None,
            status=ActionStatus.PLANNED,
            result="",
        ),
    )
    consultant_training = consultant_item_add(
        actor=consultant,
        membership=consultant.memberships.get(),
        kind=RecordItemKind.TRAINING,
        values={
            "title": "Ailleurs",
            "provider": "Ailleurs",
            "started_on": date(2026, 1, 5),
            "ended_on": date(2026, 1, 5),
            "hours": 7,
            "indicator": 22,
        },
        proof=demo_proof("Ailleurs"),
        proof_name="ailleurs.pdf",
    )
    # Qualité: the other organisation's public pages, both published
    offer = public_offer_save(
        coordinator=outsider, organisation=organisation, values=DEFAULTS, expected_version=0
    )
    for page in PublicPage:
        offer = public_page_publish(
            coordinator=outsider,
            organisation=organisation,
            page=page,
            published=True,
            expected_version=offer.version,
        )
    return {
        "public_slug": organisation.slug,
        "consultant_membership": consultant.memberships.get().pk,
        "consultant_training": consultant_training.pk,
        "peer_profile": peer_profile.pk,
        "group_formation": group_formation.pk,
        "peer_promotion": peer_promotion.pk,
        "peer_group": peer_group.pk,
        "peer_member": peer_member.pk,
        "charter": charter.pk,
        "commitment": commitment.pk,
        "contribution": contribution.pk,
        "mentor_profile": mentor_profile.pk,
        "mentee_profile": mentee_profile.pk,
        "mentorship_request": mentorship_request.pk,
        "matching_round": matching_round.pk,
        "round_proposal": round_proposal.pk,
        "mentorship": mentorship.pk,
        "goal": goal.pk,
        "progress_update": progress_update.pk,
        "declared_conflict": declared_conflict.pk,
        "contact": contact.pk,
        "other_contact": other_contact.pk,
        "interview": interview.pk,
        "guide": guide.pk,
        "guide_question": guide.questions.first().pk,
        "interview_question": interview_question.pk,
        "synthesis_share": share.pk,
        "bilan": bilan.pk,
        "appraisal_invitation": appraisal_invitation_create(
            actor=outsider,
            bilan=bilan,
            draft=InvitationDraft(audience=Audience.EMPLOYER, email="rh@ailleurs.example"),
        ).pk,
        "appraisal_question": questions_asked(
            questionnaire_of(organisation=organisation, audience=Audience.EMPLOYER)
        )[0].pk,
        "experience": experience.pk,
        "achievement": achievement.pk,
        "suggestion": suggestion.pk,
        "portfolio_item": portfolio_item.pk,
        "code_rome": metier.code_rome,
        "shortlist_entry": entry.pk,
        "project": project.pk,
        "check": project.checks.first().pk,
        "step": step.pk,
        "beneficiary": beneficiary.pk,
        "beneficiary_membership": beneficiary.memberships.get().pk,
        "contact_import": contact_import.pk,
        "audit_export": audit_export.pk,
        "isolation_check": isolation_check.pk,
        "safety_concern": safety_concern.pk,
        "interests_response": interests_response.pk,
        "values_response": values_response.pk,
        "notification": notification.pk,
        "invitation": invitation.pk,
        "series": series.pk,
        "occurrence": occurrence.pk,
        "agenda_item": agenda_item.pk,
        "action": action.pk,
        "organisme_document": organisme_document.pk,
        "complaint": complaint.pk,
        "improvement_action": improvement_action.pk,
        "organisation_slug": organisation.slug,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(ACCESS))
def test_access(client, people, foreign, url_name, role):
    case = ACCESS[url_name]
    kwargs = {
        key: foreign[value.strip("{}")] if str(value).startswith("{") else value
        for key, value in case.kwargs.items()
    }
    if role != "anonymous":
        client.force_login(people[role])

    response = getattr(client, case.method)(reverse(url_name, kwargs=kwargs))

    expected = case.statuses[role]
    got = response.status_code
    if got == 302 and response["Location"].startswith(reverse("account_login")):
        got = LOGIN
    assert got == expected, (
        f"{case.method.upper()} {url_name} as {role}: {response.status_code}"
        + (f" → {response['Location']}" if response.status_code == 302 else "")
    )
