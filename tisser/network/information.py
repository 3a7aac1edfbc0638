"""The information a contact is owed (RGPD art. 14): the people a beneficiary writes into
their network did not give their details to the organisme themselves. Art. 14 asks that they
be told who processes them, why and on what basis, which data, who receives them, for how
long, their rights (access, rectification, erasure, restriction, objection), the right to
complain to the CNIL and where the data came from — at the latest at the first contact and
within a month (CNIL, « Informer les personnes »).

The beneficiary is the one who contacts them, so Tisser gives them a ready text to copy or
send (ADR 0019): `contact_information_text`. A contact who asks to be erased is erased by
deleting their card (`contact_delete`), which takes their details, the notes and the
enquêtes with them."""

from django.utils.translation import gettext as _

from tisser.core.french import de
from tisser.network.models import Contact


def _details(contact: Contact) -> str:
    parts = [_("vos nom et prénom")]
    if contact.job_title or contact.company:
        parts.append(_("votre fonction et votre structure"))
    if contact.email:
        parts.append(_("votre adresse e-mail"))
    if contact.phone:
        parts.append(_("votre numéro de téléphone"))
    if contact.link:
        parts.append(_("votre profil en ligne"))
    parts.append(_("mes notes sur nos échanges"))
    return ", ".join(parts)


def information_subject() -> str:
    return _("Vos coordonnées dans mes enquêtes-métiers")


def contact_information_text(contact: Contact) -> str:
    """The message for `contact`, signed by its owner, naming the owner's organisme and its
    DPO when it has one."""
    organisation = contact.organisation
    organisme = organisation.legal_name or organisation.name
    if organisation.address:
        organisme = f"{organisme} ({' '.join(organisation.address.split())})"
    owner = contact.owner.get_full_name() or contact.owner.email
    greeting = (
        _("Bonjour %(name)s,") % {"name": contact.first_name}
        if contact.first_name
        else _("Bonjour,")
    )
    if organisation.dpo_email:
        whom = _(
            "ou écrire à la personne chargée de la protection des données %(de_organisme)s : "
            "%(email)s."
        ) % {
            "de_organisme": de(organisation.legal_name or organisation.name),
            "email": organisation.dpo_email,
        }
    else:
        whom = _("ou écrire à %(organisme)s.") % {
            "organisme": organisation.legal_name or organisation.name
        }
    paragraphs = [
        greeting,
        _(
            "Je réalise un bilan de compétences et je prépare des enquêtes-métiers : je "
            "rencontre des professionnels pour découvrir leur métier. J'ai noté vos "
            "coordonnées pour cela dans Tisser, l'outil de mon organisme d'accompagnement, "
            "%(organisme)s, qui est responsable de ces données."
        )
        % {"organisme": organisme},
        _(
            "Ce qui est conservé : %(details)s. Je les ai saisis moi-même. Ils servent "
            "seulement à préparer et suivre notre échange (intérêt légitime, RGPD article "
            "6-1-f). J'y ai accès, ainsi que mon conseiller ou ma conseillère si je partage "
            "mon réseau ; ils ne sont transmis à personne d'autre."
        )
        % {"details": _details(contact)},
        _(
            "Ils sont gardés tant que j'en ai besoin pour mes enquêtes, et effacés au plus tard "
            "quand mon compte est supprimé."
        ),
        _(
            "Vous pouvez à tout moment y accéder, les faire corriger, vous opposer à leur "
            "conservation ou demander leur effacement : il suffit de me répondre, je "
            "supprimerai votre fiche, %(whom)s Vous pouvez aussi adresser une réclamation à la "
            "CNIL (cnil.fr)."
        )
        % {"whom": whom},
        _("Merci pour votre aide,"),
        owner,
    ]
    return "\n\n".join(paragraphs)
