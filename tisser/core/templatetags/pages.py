"""`{% page_querystring number %}`: the address of the current page with its page number
set to `number` and every other parameter kept, like `{% querystring page=number %}`; the
parameter is `page_param` from the context when given, "page" otherwise, so that two lists
on one page each turn their own pages (`components/pagination.html`)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context, number) -> str:
    params = context.request.GET.copy()
    params[context.get("page_param") or "page"] = number
    return f"?{params.urlencode()}"
