"""The first message of an enquête-métier, assembled from the contact, the fiche explored and
the sender: why this person in particular, what the sender is looking for (information, 20
to 30 minutes — not a job), thanks. The person edits and copies it; the platform never sends
anything to a contact itself."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tisser.core.french import de
from tisser.network.models import Contact, HowKnown, InformationalInterview

LINKEDIN_MAX = 300


@dataclass(frozen=True)
class ApproachMessage:
    subject: str  # the e-mail's subject
    body: str  # the e-mail
    short: str  # a LinkedIn invitation note: under 300 characters


def _full_name(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def _why(contact: Contact) -> str:
    """Why this person in particular: how the sender knows them."""
    how = contact.how_known
    if contact.introduced_by_id is not None:
        return _("%(name)s m'a conseillé de prendre contact avec vous.") % {
            "name": str(contact.introduced_by)
        }
    return {
        HowKnown.FORMER_MANAGER: _(
            "Vous avez été mon ou ma responsable, et j'ai gardé un excellent souvenir de "
            "notre collaboration."
        ),
        HowKnown.FORMER_COLLEAGUE: _(
            "Nous avons travaillé ensemble, et j'ai pensé à vous pour cette démarche."
        ),
        HowKnown.SCHOOL: _(
            "Nous nous sommes connus pendant nos études, et j'ai pensé à vous pour cette démarche."
        ),
        HowKnown.ASSOCIATION: _(
            "Nous faisons partie du même réseau professionnel, et j'ai pensé à vous pour "
            "cette démarche."
        ),
        HowKnown.LINKEDIN: _("J'ai découvert votre parcours sur LinkedIn."),
        HowKnown.ALUMNI: _(
            "Nous sommes passés par la même école, et j'ai trouvé votre profil dans "
            "l'annuaire des anciens."
        ),
        HowKnown.EVENT: _("Nous nous sommes croisés lors d'un événement professionnel."),
        HowKnown.INTRODUCED: _("On m'a conseillé de prendre contact avec vous."),
    }.get(how, _("Je me permets de vous contacter à propos de votre métier."))


def _position(contact: Contact) -> str:
    if contact.job_title and contact.company:
        return _("votre expérience %(de_job)s chez %(company)s") % {
            "de_job": de(contact.job_title),
            "company": contact.company,
        }
    if contact.job_title:
        return _("votre expérience %(de_job)s") % {"de_job": de(contact.job_title)}
    if contact.company:
        return _("votre expérience chez %(company)s") % {"company": contact.company}
    return _("votre expérience")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _target(interview: InformationalInterview | None, contact: Contact) -> str:
    metier = interview.metier if interview is not None and interview.metier_id else contact.metier
    return metier.libelle if metier is not None else ""


def approach_message(
    contact: Contact, interview: InformationalInterview | None, sender
) -> ApproachMessage:
    """The e-mail (subject and body) and the short LinkedIn note, in French, personalised
    with what is known; missing details are simply left out."""
    sender_name = _full_name(sender.first_name, sender.last_name) or sender.email
    target = _target(interview, contact)
    greeting = (
        _("Bonjour %(name)s,") % {"name": _full_name(contact.first_name, contact.last_name)}
        if contact.first_name
        else _("Bonjour,")
    )
    if target:
        subject = _("Demande d'échange sur le métier %(de_metier)s") % {"de_metier": de(target)}
        interest = _(
            "Je m'intéresse au métier %(de_metier)s et je souhaite mieux le connaître auprès "
            "de personnes qui l'exercent. %(position)s m'intéresse tout particulièrement."
        ) % {"de_metier": de(target), "position": _upper_first(_position(contact))}
    else:
        subject = _("Demande d'échange sur votre métier")
        interest = _(
            "Je réfléchis à mon orientation professionnelle et je souhaite mieux connaître "
            "votre métier auprès de personnes qui l'exercent. %(position)s m'intéresse tout "
            "particulièrement."
        ) % {"position": _upper_first(_position(contact))}
    body = "\n\n".join(
        [
            greeting,
            _why(contact),
            interest,
            _(
                "Je ne vous sollicite pas pour un emploi : j'aimerais simplement recueillir "
                "votre regard et vos conseils, au cours d'un échange de 20 à 30 minutes, par "
                "téléphone, en visio ou autour d'un café, selon ce qui vous convient le mieux."
            ),
            _(
                "Seriez-vous disponible dans les prochaines semaines ? Je m'adapterai "
                "volontiers à vos contraintes."
            ),
            _("Je vous remercie par avance pour le temps que vous voudrez bien m'accorder."),
            _("Bien cordialement,") + "\n" + sender_name,
        ]
    )
    return ApproachMessage(subject=subject, body=body, short=_short(contact, target, sender))


def _short(contact: Contact, target: str, sender) -> str:
    """The most personal note that fits in LINKEDIN_MAX characters."""
    hello = (
        _("Bonjour %(name)s,") % {"name": contact.first_name.strip()}
        if contact.first_name.strip()
        else _("Bonjour,")
    )
    signature = sender.first_name.strip() or _full_name(sender.first_name, sender.last_name)
    introducer = (
        _("%(name)s m'a conseillé de vous écrire.") % {"name": str(contact.introduced_by)}
        if contact.introduced_by_id is not None
        else ""
    )
    ask_target = (
        _(
            "Je m'intéresse au métier %(de_metier)s : accepteriez-vous un échange de 20 "
            "minutes sur votre expérience ? Je ne cherche pas un emploi, seulement des "
            "informations."
        )
        % {"de_metier": de(target)}
        if target
        else ""
    )
    ask_plain = _(
        "Accepteriez-vous un échange de 20 minutes sur votre métier ? Je ne cherche pas un "
        "emploi, seulement des informations."
    )
    thanks = _("Merci !")
    candidates = [
        (ask_target, [hello, introducer, ask_target, thanks, signature]),
        (ask_target, [hello, ask_target, thanks, signature]),
        (ask_plain, [hello, introducer, ask_plain, thanks, signature]),
        (ask_plain, [hello, ask_plain, thanks, signature]),
    ]
    for ask, parts in candidates:
        text = " ".join(part for part in parts if part)
        if ask and len(text) < LINKEDIN_MAX:
            return text
    return " ".join([_("Bonjour,"), ask_plain, thanks])
