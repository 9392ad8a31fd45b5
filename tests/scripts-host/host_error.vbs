' An uncaught error: printed to stderr as cscript prints it, exit status 1.
WScript.Echo "before the error"
Dim number
number = CLng("not a number")
WScript.Echo "not reached"
