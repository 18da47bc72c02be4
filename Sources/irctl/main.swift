import Glibc
import IncidentKit

// A write to a closed pipe or past a file-size limit must fail as an error we handle, not kill us.
signal(SIGPIPE, SIG_IGN)
signal(SIGXFSZ, SIG_IGN)

// CommandLine.arguments would replace invalid UTF-8 with U+FFFD: decode each argument strictly.
let raw = (1..<max(1, Int(CommandLine.argc))).map {
    CommandLine.unsafeArgv[$0].flatMap { String(validatingCString: $0) }
}
let status = CLI(
    arguments: raw.map { $0 ?? "" }, system: .live(),
    undecodableArguments: raw.indices.filter { raw[$0] == nil }.map { $0 + 1 }
).run()
exit(status)
