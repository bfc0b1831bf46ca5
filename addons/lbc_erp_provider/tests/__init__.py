from . import test_collaborators
