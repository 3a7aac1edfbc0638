"""The interview guide every organisation starts with: three or four open questions per theme
of an enquête-métier. Organisations change it freely once installed
(`interview_guide_install_default`); this module is only the starting point.

The questions ask for information, never for a job: the posture that makes an enquête-métier
an exchange between two people rather than a disguised job interview."""

from django.utils.translation import gettext_lazy as _

from tisser.network.models import GuideTheme

TITLE = _("Guide d'entretien pour une enquête-métier")
DESCRIPTION = _(
    "Des questions ouvertes, rangées par thème, pour un échange de 20 à 30 minutes avec une "
    "personne qui exerce le métier. Choisissez-en quelques-unes par thème : il ne s'agit pas "
    "de toutes les poser, ni de demander un emploi, mais de comprendre le métier tel qu'il "
    "se vit."
)

QUESTIONS: dict[GuideTheme, tuple] = {
    GuideTheme.CAREER: (
        _("Comment êtes-vous arrivé·e à ce métier ? Quel a été votre parcours ?"),
        _("Qu'est-ce qui vous a donné envie de choisir cette voie ?"),
        _("Si c'était à refaire, emprunteriez-vous le même chemin ?"),
    ),
    GuideTheme.MISSIONS: (
        _("À quoi ressemble une journée ou une semaine type pour vous ?"),
        _("Quelles sont vos principales missions, et celles qui vous prennent le plus de temps ?"),
        _("Avec qui travaillez-vous au quotidien : collègues, clients, partenaires ?"),
        _("Quelle part de votre temps passez-vous seul·e, en équipe, sur le terrain ?"),
    ),
    GuideTheme.SKILLS: (
        _("Quelles compétences sont indispensables pour bien faire ce métier ?"),
        _("Quelles qualités personnelles y font la différence ?"),
        _("Qu'avez-vous dû apprendre sur le tas, qu'aucune formation ne vous avait appris ?"),
    ),
    GuideTheme.PROS_CONS: (
        _("Qu'est-ce qui vous plaît le plus dans votre métier ?"),
        _("Qu'est-ce qui est le plus difficile ou le moins agréable ?"),
        _("Qu'est-ce qui surprend souvent les personnes qui débutent ?"),
    ),
    GuideTheme.CONDITIONS: (
        _("Quels sont vos horaires et votre rythme de travail ? Y a-t-il des pics d'activité ?"),
        _("Quel est l'ordre de grandeur des rémunérations, en début et en cours de carrière ?"),
        _("Quels types de contrats et de structures emploient des personnes dans ce métier ?"),
        _("Le télétravail, les déplacements ou le travail le week-end font-ils partie du métier ?"),
    ),
    GuideTheme.EVOLUTION: (
        _("Comment le métier a-t-il changé depuis vos débuts ?"),
        _(
            "Quelles évolutions voyez-vous venir (outils, numérique, réglementation, "
            "transition écologique) ?"
        ),
        _("Le secteur recrute-t-il ? Où sont les besoins aujourd'hui ?"),
        _("Quelles évolutions de carrière ce métier permet-il ?"),
    ),
    GuideTheme.ACCESS: (
        _("Quels diplômes, formations ou certifications sont demandés, ou appréciés ?"),
        _("Est-il possible d'y venir en reconversion ? Comment cela se passe-t-il ?"),
        _("Quelles expériences ou quels stages aident à se faire une place ?"),
        _("Comment les recrutements se font-ils : candidatures, réseau, cooptation ?"),
    ),
    GuideTheme.ADVICE: (
        _("Quel conseil donneriez-vous à quelqu'un qui envisage ce métier ?"),
        _("Au vu de mon parcours, quels atouts et quels points à travailler voyez-vous ?"),
        _("Quelles lectures, quels sites ou quels événements me recommanderiez-vous ?"),
    ),
    GuideTheme.REFERRALS: (
        _("Quelles autres personnes me conseilleriez-vous de rencontrer pour en savoir plus ?"),
        _("Accepteriez-vous que je les contacte de votre part ?"),
        _("Y a-t-il un réseau, une association ou un groupe professionnel à connaître ?"),
    ),
}
