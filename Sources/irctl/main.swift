import Glibc
import IncidentKit

// A write to a closed pipe or past a file-size limit must fail as an error we report, not kill us.
signal(SIGPIPE, SIG_IGN)
signal(SIGXFSZ, SIG_IGN)

let status = CLI(arguments: Array(CommandLine.arguments.dropFirst()), system: .live()).run()
exit(status)
