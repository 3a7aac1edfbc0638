"""The interview guides, the preparation, notes and synthesis of an enquête, the comparison
of the enquêtes about one fiche and the page "À faire" (gathered under the "network"
namespace by `tisser.www.network.urls`)."""

from django.urls import path

from tisser.www.network import guides_views as guides
from tisser.www.network import interview_views as interviews

urlpatterns = [
    path("guides/", guides.guides, name="guides"),
    path("guides/nouveau/", guides.guide_create, name="guide_create"),
    path("guides/<int:guide_id>/", guides.guide, name="guide"),
    path("guides/<int:guide_id>/questions/", guides.guide_question_add, name="guide_question_add"),
    path(
        "guides/questions/<int:question_id>/",
        guides.guide_question_edit,
        name="guide_question_edit",
    ),
    path(
        "guides/questions/<int:question_id>/deplacer/",
        guides.guide_question_move,
        name="guide_question_move",
    ),
    path(
        "guides/questions/<int:question_id>/supprimer/",
        guides.guide_question_delete,
        name="guide_question_delete",
    ),
    path(
        "enquetes/<int:interview_id>/preparer/",
        interviews.interview_prepare,
        name="interview_prepare",
    ),
    path(
        "enquetes/<int:interview_id>/preparer/guide/",
        interviews.interview_guide_apply,
        name="interview_guide_apply",
    ),
    path(
        "enquetes/<int:interview_id>/preparer/questions/",
        interviews.interview_question_add,
        name="interview_question_add",
    ),
    path(
        "enquetes/<int:interview_id>/questions/<int:question_id>/deplacer/",
        interviews.interview_question_move,
        name="interview_question_move",
    ),
    path(
        "enquetes/<int:interview_id>/questions/<int:question_id>/supprimer/",
        interviews.interview_question_delete,
        name="interview_question_delete",
    ),
    path(
        "enquetes/<int:interview_id>/imprimer/", interviews.interview_print, name="interview_print"
    ),
    path("enquetes/<int:interview_id>/notes/", interviews.interview_notes, name="interview_notes"),
    path(
        "enquetes/<int:interview_id>/synthese/",
        interviews.interview_synthesis,
        name="interview_synthesis",
    ),
    path("fiches/<str:code_rome>/comparer/", interviews.fiche_compare, name="fiche_compare"),
    path("a-faire/", interviews.todos, name="todos"),
]
