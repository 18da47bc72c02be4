import Foundation
import Glibc
import IncidentKit

enum EditCommand {
    static let command = Command(
        name: "edit", summary: "edit the title and narrative fields in $VISUAL / $EDITOR",
        arguments: [.incident],
        discussion: """
            Opens $VISUAL, else $EDITOR, else vi, on a markdown form with the title and every
            narrative field under its own '## ' heading (a comment under each says what belongs
            there). When the editor exits 0, each field you changed is stored as an 'edit' entry;
            an emptied section clears its field, a deleted heading leaves the field as it was.
            An unchanged file or an editor that fails (':cq' in vi) stores nothing.

            The store is not locked while the editor is open, so others can keep logging. If
            someone changed a field you also changed in the meantime, nothing is stored and your
            text is kept in the temporary file, whose path is printed. The editor command may
            have arguments ('code -w'); it runs through /bin/sh with the file as its last argument.
            """,
        examples: ["irctl edit INC-1", "EDITOR='code -w' irctl edit INC-1"],
        run: run)

    struct EditorError: DescribedError {
        var message: String
    }

    static func run(_ invocation: Invocation) throws -> Int32 {
        let id = try invocation.requiredIncident()
        try invocation.expectPositionals(atMost: 1)
        let original = try invocation.store.load(id)
        let form = NarrativeForm.render(original)
        let path = try writeTemporary(form, id: id, environment: invocation.system.environment)

        let environment = invocation.system.environment
        let editor =
            [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        let status = try runEditor(editor, path: path)
        guard status == 0 else {
            unlink(path)
            throw EditorError(
                message:
                    "the editor ('\(editor)') exited with status \(status); nothing stored for "
                    + "\(id)"
            )
        }
        guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path)),
            let edited = String(data: bytes, encoding: .utf8)
        else {
            throw EditorError(
                message:
                    "could not read the edited form back as UTF-8 text; nothing stored, your text "
                    + "is in \(path)"
            )
        }
        if edited == form {
            unlink(path)
            invocation.output.note("\(id): no changes; nothing stored")
            return ExitCode.success
        }

        let parsed = NarrativeForm.parse(edited)
        var changes: [(NarrativeForm.Field, String?)] = []
        for field in NarrativeForm.fields {
            guard let value = parsed[field] else { continue }  // heading deleted: leave as it was
            switch field {
            case .title:
                guard let title = value else {
                    throw EditorError(
                        message:
                            "the title section is empty; an incident needs a title. Nothing "
                            + "stored; your text is in \(path)"
                    )
                }
                if title != original.title { changes.append((field, title)) }
            case .narrative(let narrative):
                if value != original.narrative[narrative] { changes.append((field, value)) }
            }
        }
        guard !changes.isEmpty else {
            unlink(path)
            invocation.output.note("\(id): no changes; nothing stored")
            return ExitCode.success
        }

        let config = try invocation.config()
        let context = try invocation.editContext(config: config)
        let incident: StoredIncident
        do {
            incident = try invocation.store.update(id) { incident in
                // Re-applied on the current file: only the fields this edit changed, and only if
                // nobody else changed them while the editor was open.
                for (field, value) in changes {
                    switch field {
                    case .title:
                        guard incident.title == original.title else {
                            throw EditError.conflict(id, field: "title")
                        }
                        try incident.setTitle(value ?? "", context: context)
                    case .narrative(let narrative):
                        guard incident.narrative[narrative] == original.narrative[narrative] else {
                            throw EditError.conflict(id, field: narrative.argument)
                        }
                        // Redaction can make the text equal to what is stored: not worth a refusal.
                        if incident.narrative[narrative] != value {
                            do {
                                try incident.setNarrative(narrative, to: value, context: context)
                            } catch EditError.unchanged {}
                        }
                    }
                }
            }
        } catch let error as DescribedError {
            throw EditorError(message: error.message + "; your text is kept in \(path)")
        }
        unlink(path)
        let names = changes.map { field, _ in
            switch field {
            case .title: "title"
            case .narrative(let narrative): narrative.argument
            }
        }
        return try invocation.report(incident, "\(id): edited \(names.joined(separator: ", "))")
    }

    /// A private temporary file (0600) named after the incident, in $TMPDIR or /tmp.
    static func writeTemporary(
        _ text: String, id: IncidentID, environment: [String: String]
    ) throws -> String {
        let directory = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/irctl-\(id)-XXXXXX.md").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
        guard fd >= 0 else {
            throw EditorError(
                message:
                    "could not create a temporary file in \(directory): "
                    + "\(String(cString: strerror(errno))); set TMPDIR to a writable directory"
            )
        }
        let path = String(
            decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
            as: UTF8.self)
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes {
                write(fd, $0.baseAddress! + written, $0.count - written)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                unlink(path)
                throw EditorError(
                    message:
                        "could not write the temporary file \(path): "
                        + "\(String(cString: strerror(errno)))"
                )
            }
            written += n
        }
        bytes.removeAll()
        close(fd)
        return path
    }

    /// Runs the editor on the user's terminal (stdin, stdout and stderr inherited) and returns its
    /// exit status; a signal counts as failure (128 + signal).
    static func runEditor(_ editor: String, path: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$1\"", "sh", path]
        do {
            try process.run()
        } catch {
            throw EditorError(
                message: "could not start the editor '\(editor)': \(error.localizedDescription)")
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }
}
