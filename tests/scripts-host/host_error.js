// An uncaught error: printed to stderr as cscript prints it, exit status 1.
WScript.Echo("before the error");
var o = null;
o.property = 1;
WScript.Echo("not reached");
