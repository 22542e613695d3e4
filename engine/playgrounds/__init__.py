"""What each playground of ui/playgrounds computes, without Qt: inputs in, numbers out, so a
test or the command line gets the same results as the widget that draws them.

One module per playground. ``activations`` and ``gradient_descent`` are numpy only (a lesson
page may show them before PyTorch is loaded); the others read a model and import torch, and
their functions take ``device`` ("cpu" by default) like engine.inspection. This package's
own import loads none of them.
"""
