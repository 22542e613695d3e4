"""What each playground of ui/playgrounds computes, without Qt: inputs in, numbers out, so a
test or the command line gets the same results as the widget that draws them.

One module per playground. ``activations`` and ``gradient_descent`` are numpy only (a lesson
page may show them before PyTorch is loaded); the others read a model and import torch, and
their functions take ``device`` ("cpu" by default) like engine.inspection. This package's
own import loads none of them.
"""

# Playgrounds that stand alone and have a form for a terminal: `hafiza train ID` on their
# exercise prints it instead of refusing (the module's `main(out)`).
TERMINAL_FORMS = {"backprop": "hafiza.engine.playgrounds.backprop"}


def terminal_form(name: object):
    """The function that prints playground `name` to a stream, or None when it has none."""
    import importlib

    module = TERMINAL_FORMS.get(name) if isinstance(name, str) else None
    return importlib.import_module(module).main if module else None
