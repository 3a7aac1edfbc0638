"""The plain-French reading of a story (`tisser.outcomes.story`): what the figures say, in
sentences, addressed to the person (« votre score ») or, for her consultant, about her
(« son score », her first name). It describes and never judges: no « mieux », no « moins
bien », no band of the questionnaire; a rise or a fall is said with its numbers. Counts take
real plurals; dates are written in French; a period without data says so; no sentence starts
with a digit; an answer to the question on loneliness comes with its place among the five
(« 3e réponse sur 5 »), since the words alone do not rank; and « » never part from what they
quote at the end of a line (`core.french.quotes_bound`)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tisser.assessments import loneliness
from tisser.core.dates import french_date
from tisser.core.french import de, quotes_bound
from tisser.outcomes.story import START_CHECK_BEFORE, CheckPoint, Stage, Story, Week

# The direct question on loneliness (1 … 5), as the person answered it: the wording of the
# question's choices (ADR 0031).
LONELY_FREQUENCY_ANSWERS = dict(loneliness.FREQUENCY_CHOICES)


@dataclass(frozen=True)
class Reading:
    isolation: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    # What the law destroyed or an agreement keeps.
    notes: list[str] = field(default_factory=list)


def _day(moment) -> str:
    return french_date(timezone.localdate(moment), "j F Y")


def _isolation(story: Story, name: str | None) -> list[str]:
    you = name is None
    checks = [check for check in story.bilan_checks if check.overall is not None]
    if not checks:
        return [_("Aucun point sur l'isolement n'est enregistré pour l'instant.")]
    first, last = checks[0], checks[-1]
    sentences = []
    if len(checks) == 1:
        values = {"date": _day(last.at), "score": last.overall, "name": name}
        sentences.append(
            _("Vous avez fait un point sur l'isolement le %(date)s : score de %(score)s sur 100.")
            % values
            if you
            else _(
                "%(name)s a fait un point sur l'isolement le %(date)s : score de %(score)s sur 100."
            )
            % values
        )
    else:
        # « Since the start of your bilan » only when the first check is the bilan's start
        # (its checks may be gone, and later ones taken after it).
        bilan = story.bilan
        from_bilan = (
            bilan is not None
            and bilan.opened_at - START_CHECK_BEFORE <= first.at
            and (bilan.closed_at is None or first.at <= bilan.closed_at)
        )
        if from_bilan:
            since = (
                _("Depuis le début de votre bilan") if you else _("Depuis le début de son bilan")
            )
        else:
            since = (
                _("Depuis votre premier point, le %(date)s")
                if you
                else _("Depuis son premier point, le %(date)s")
            ) % {"date": _day(first.at)}
        values = {"since": since, "first": first.overall, "last": last.overall}
        if first.overall == last.overall:
            sentences.append(
                _("%(since)s, votre score d'isolement est resté à %(last)s sur 100.") % values
                if you
                else _("%(since)s, son score d'isolement est resté à %(last)s sur 100.") % values
            )
        else:
            sentences.append(
                _("%(since)s, votre score d'isolement est passé de %(first)s à %(last)s sur 100.")
                % values
                if you
                else _(
                    "%(since)s, son score d'isolement est passé de %(first)s à %(last)s sur 100."
                )
                % values
            )
        sentences.append(
            ngettext(
                "Ce chiffre repose sur %(count)s point sur l'isolement.",
                "Ce chiffre repose sur %(count)s points sur l'isolement.",
                len(checks),
            )
            % {"count": len(checks)}
        )
        felt = [check.felt for check in checks if check.felt is not None]
        if len(felt) > 1:
            sentences.append(
                _("Isolement ressenti : %(last)s sur 100, comme au premier point.")
                % {"last": felt[-1]}
                if felt[0] == felt[-1]
                else _("Isolement ressenti : de %(first)s à %(last)s sur 100.")
                % {"first": felt[0], "last": felt[-1]}
            )
    sentences += _loneliness(checks, you=you, name=name)
    quiet = [gap for gap in story.gaps if gap[1] == timezone.localdate(story.now)]
    if quiet:
        sentences.append(
            _("Pas de nouveau point sur l'isolement depuis le %(date)s.")
            % {"date": french_date(quiet[0][0], "j F Y")}
        )
    return sentences


def _loneliness(checks: list[CheckPoint], *, you: bool, name: str | None) -> list[str]:
    sentences = []
    answers = [c.lonely_frequency for c in checks if c.lonely_frequency in LONELY_FREQUENCY_ANSWERS]
    if answers:
        values = {
            "answer": LONELY_FREQUENCY_ANSWERS[answers[-1]],
            "place": loneliness.frequency_place(answers[-1], span=True),
            "first": LONELY_FREQUENCY_ANSWERS[answers[0]],
            "first_place": loneliness.frequency_place(answers[0]),
            "de_name": de(name or ""),
        }
        if len(answers) > 1 and answers[0] != answers[-1]:
            sentences.append(
                _(
                    "À la question « À quelle fréquence vous sentez-vous seul·e ? », votre "
                    "dernière réponse est « %(answer)s » (%(place)s) ; au premier point : "
                    "« %(first)s » (%(first_place)s)."
                )
                % values
                if you
                else _(
                    "À la question « À quelle fréquence vous sentez-vous seul·e ? », la "
                    "dernière réponse %(de_name)s est « %(answer)s » (%(place)s) ; au premier "
                    "point : « %(first)s » (%(first_place)s)."
                )
                % values
            )
        else:
            sentences.append(
                _(
                    "À la question « À quelle fréquence vous sentez-vous seul·e ? », votre "
                    "dernière réponse est « %(answer)s » (%(place)s)."
                )
                % values
                if you
                else _(
                    "À la question « À quelle fréquence vous sentez-vous seul·e ? », la "
                    "dernière réponse %(de_name)s est « %(answer)s » (%(place)s)."
                )
                % values
            )
    scale = [c.loneliness_scale for c in checks if c.loneliness_scale is not None]
    if scale:
        if len(scale) > 1 and scale[0] != scale[-1]:
            sentences.append(
                _(
                    "Échelle courte de solitude (de 3 à 9) : %(first)s au premier point, "
                    "%(last)s au dernier."
                )
                % {"first": scale[0], "last": scale[-1]}
            )
        else:
            sentences.append(
                _("Échelle courte de solitude (de 3 à 9) : %(last)s.") % {"last": scale[-1]}
            )
    return sentences


def _week_of_start(story: Story) -> Week | None:
    if story.bilan is None:
        return None
    opened = story.bilan.opened_at
    return next((week for week in story.weeks if week.at >= opened), None)


def _network(story: Story, name: str | None) -> list[str]:
    you = name is None
    last = story.last
    if last is None or last.contacts == 0:
        sentences = [
            _("Votre réseau ne compte encore aucun contact.")
            if you
            else _("Son réseau ne compte encore aucun contact.")
        ]
    else:
        count = last.contacts
        start = _week_of_start(story)
        if start is not None and start.contacts != count and start is not last:
            values = {"start": start.contacts, "count": count}
            sentences = [
                ngettext(
                    "Depuis le début de votre bilan, votre réseau est passé de %(start)s à "
                    "%(count)s contact.",
                    "Depuis le début de votre bilan, votre réseau est passé de %(start)s à "
                    "%(count)s contacts.",
                    count,
                )
                % values
                if you
                else ngettext(
                    "Depuis le début de son bilan, son réseau est passé de %(start)s à "
                    "%(count)s contact.",
                    "Depuis le début de son bilan, son réseau est passé de %(start)s à "
                    "%(count)s contacts.",
                    count,
                )
                % values
            ]
        else:
            sentences = [
                ngettext(
                    "Votre réseau compte %(count)s contact.",
                    "Votre réseau compte %(count)s contacts.",
                    count,
                )
                % {"count": count}
                if you
                else ngettext(
                    "Son réseau compte %(count)s contact.",
                    "Son réseau compte %(count)s contacts.",
                    count,
                )
                % {"count": count}
            ]
        if last.referrals:
            values = {"count": last.referrals}
            sentences.append(
                ngettext(
                    "Parmi vos contacts, %(count)s vous a été présenté par un autre contact.",
                    "Parmi vos contacts, %(count)s vous ont été présentés par un autre contact.",
                    last.referrals,
                )
                % values
                if you
                else ngettext(
                    "Parmi ses contacts, %(count)s lui a été présenté par un autre contact.",
                    "Parmi ses contacts, %(count)s lui ont été présentés par un autre contact.",
                    last.referrals,
                )
                % values
            )
        if last.interviews_done:
            done: dict[str, object] = {"count": last.interviews_done, "name": name}
            sentences.append(
                ngettext(
                    "Vous avez mené %(count)s enquête-métier jusqu'à l'entretien.",
                    "Vous avez mené %(count)s enquêtes-métiers jusqu'à l'entretien.",
                    last.interviews_done,
                )
                % done
                if you
                else ngettext(
                    "%(name)s a mené %(count)s enquête-métier jusqu'à l'entretien.",
                    "%(name)s a mené %(count)s enquêtes-métiers jusqu'à l'entretien.",
                    last.interviews_done,
                )
                % done
            )
        else:
            sentences.append(_("Aucune enquête-métier n'a encore eu lieu."))
        if last.chain >= 2:
            if story.chain_names:
                sentences.append(
                    _("La plus longue chaîne de mises en relation : %(chain)s.")
                    % {"chain": " → ".join(story.chain_names)}
                )
            else:
                sentences.append(
                    ngettext(
                        "La plus longue chaîne de mises en relation compte %(count)s "
                        "présentation à la suite.",
                        "La plus longue chaîne de mises en relation compte %(count)s "
                        "présentations à la suite.",
                        last.chain,
                    )
                    % {"count": last.chain}
                )
    if last is not None:
        for count, say in (
            (
                last.mentor_meetings,
                lambda n: ngettext(
                    "Mentorat : %(count)s rencontre tenue.",
                    "Mentorat : %(count)s rencontres tenues.",
                    n,
                ),
            ),
            (
                last.group_meetings,
                lambda n: ngettext(
                    "Groupe de pairs : %(count)s réunion suivie.",
                    "Groupe de pairs : %(count)s réunions suivies.",
                    n,
                ),
            ),
            (
                last.commitments_kept,
                lambda n: (
                    ngettext(
                        "Vous avez tenu %(count)s engagement.",
                        "Vous avez tenu %(count)s engagements.",
                        n,
                    )
                    if you
                    else ngettext(
                        "%(name)s a tenu %(count)s engagement.",
                        "%(name)s a tenu %(count)s engagements.",
                        n,
                    )
                ),
            ),
            (
                last.help_given,
                lambda n: ngettext(
                    "Aide donnée à d'autres membres du groupe : %(count)s fois.",
                    "Aide donnée à d'autres membres du groupe : %(count)s fois.",
                    n,
                ),
            ),
            (
                last.help_received,
                lambda n: ngettext(
                    "Aide reçue d'autres membres du groupe : %(count)s fois.",
                    "Aide reçue d'autres membres du groupe : %(count)s fois.",
                    n,
                ),
            ),
        ):
            if count:
                sentences.append(say(count) % {"count": count, "name": name})
    return sentences


def _notes(story: Story, name: str | None) -> list[str]:
    you = name is None
    notes = []
    for day in story.destroyed_on:
        values = {"date": french_date(day, "j F Y")}
        notes.append(
            _(
                "Les points sur l'isolement de votre bilan terminé le %(date)s ont été "
                "supprimés le lendemain de sa fin, comme la loi le prévoit (article R6313-7 "
                "du Code du travail) : ils n'apparaissent donc plus ici."
            )
            % values
            if you
            else _(
                "Les points sur l'isolement de son bilan terminé le %(date)s ont été "
                "supprimés le lendemain de sa fin, comme la loi le prévoit (article R6313-7 "
                "du Code du travail) : ils n'apparaissent donc plus ici."
            )
            % values
        )
    if story.checks_kept_until is not None:
        values = {"date": french_date(story.checks_kept_until, "j F Y")}
        notes.append(
            _(
                "Selon votre accord écrit, les points sur l'isolement de votre bilan sont "
                "conservés jusqu'au %(date)s, pour votre suivi."
            )
            % values
            if you
            else _(
                "Selon son accord écrit, les points sur l'isolement de son bilan sont "
                "conservés jusqu'au %(date)s, pour son suivi."
            )
            % values
        )
    elif story.stage == Stage.AFTER and story.bilan is not None and not story.destroyed_on:
        notes.append(
            _(
                "Les documents d'un bilan, dont ses points sur l'isolement, sont supprimés "
                "le lendemain de sa fin, sauf accord écrit pour le suivi."
            )
        )
    return notes


def story_reading(story: Story, *, name: str | None = None) -> Reading:
    """The reading of `story`, addressed to the person herself (`name` None) or, for her
    consultant, about the person named `name`."""
    return Reading(
        isolation=[quotes_bound(sentence) for sentence in _isolation(story, name)],
        network=[quotes_bound(sentence) for sentence in _network(story, name)],
        notes=[quotes_bound(sentence) for sentence in _notes(story, name)],
    )
