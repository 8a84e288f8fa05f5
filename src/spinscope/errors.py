"""Every user-facing error, with a code and a sentence a user can act on. The library never prints."""

from __future__ import annotations


class SpinscopeError(Exception):
    """An error caused by the input or the environment, not by a bug; the CLI prints it as one line."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def _error(code: str, name: str, doc: str) -> type[SpinscopeError]:
    return type(name, (SpinscopeError,), {"code": code, "__doc__": doc})


# Input
EmptyInput = _error("E001", "EmptyInput", "The input holds no text.")
BinaryInput = _error("E002", "BinaryInput", "The input is binary, not text or HTML.")
InputTooLarge = _error("E003", "InputTooLarge", "The input is larger than spinscope accepts.")
UndecodableInput = _error("E004", "UndecodableInput", "The input's text encoding could not be determined.")
InputNotFound = _error("E005", "InputNotFound", "The input path does not exist or is not a file.")
NoArticleText = _error("E006", "NoArticleText", "The HTML holds no article text.")
UnknownLanguage = _error("E007", "UnknownLanguage", "The text is not in a language spinscope reads.")
# Fetching a URL
URLRefused = _error("E010", "URLRefused", "The URL is not one spinscope will fetch (scheme or address).")
FetchFailed = _error("E011", "FetchFailed", "The URL could not be fetched.")
UnsupportedContent = _error("E012", "UnsupportedContent", "The URL serves something other than HTML or text.")
# Data, models, tasks
DataNotFound = _error("E020", "DataNotFound", "A dataset folder or file is missing or malformed.")
UnknownTask = _error("E021", "UnknownTask", "No such task.")
UnknownSplit = _error("E022", "UnknownSplit", "No such split for this task.")
HeldOutSplit = _error("E023", "HeldOutSplit", "Training asked for a held-out split.")
ModelNotFound = _error("E030", "ModelNotFound", "A bundled model artefact is missing.")
MissingExtra = _error("E031", "MissingExtra", "An optional dependency is not installed.")
UnknownComponent = _error("E032", "UnknownComponent", "No component is registered under that name.")
# The command line
UsageError = _error("E040", "UsageError", "The command's arguments do not go together.")
