import Foundation

extension Bench {
    /// taskwarrior and irctl doing the same work, runs interleaved (task, then irctl) so that load
    /// weighs on both alike: a private TASKDATA and TASKRC holding `--task-incidents` pending
    /// tasks (a quarter priority H, imported with `task import`), beside a store of as many
    /// incidents, every one open (a quarter SEV1).
    func taskwarrior() {
        let shape = Shape(
            incidents: options.taskIncidents, entries: options.entries, open: 100,
            base: options.store)
        guard isInstalled("task") else {
            report.notes.append(
                "taskwarrior not measured: no `task` (apt-get install -y taskwarrior)")
            return
        }
        prepare(shape)
        let n = options.taskIncidents
        let directory = scratchFile("task")
        let data = directory + "/data"
        try? FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let rc = directory + "/taskrc"
        put(
            rc,
            Array(
                """
                data.location=\(data)
                confirmation=off
                verbose=nothing
                hooks=off
                news.version=99.0.0
                color=off

                """.utf8))
        let env = environment(home: shape.home) + ["TASKRC=\(rc)", "TASKDATA=\(data)"]
        let services = ["checkout", "search", "payments", "auth", "api", "web", "db", "queue"]
        let priorities = ["H", "M", "L", ""]  // as SEV1…SEV4 in the store
        var tasks: [String] = []
        for i in 1...n {
            let priority = priorities[i % 4].isEmpty ? "" : ",\"priority\":\"\(priorities[i % 4])\""
            tasks.append(
                "{\"uuid\":\"\(uid(i))\",\"status\":\"pending\","
                    + "\"entry\":\"20250101T000000Z\","
                    + "\"description\":\"Synthetic incident \(i): \(services[i % 8]) errors\","
                    + "\"project\":\"\(services[i % 8])\"\(priority)}")
        }
        let file = directory + "/tasks.json"
        put(file, Array(("[" + tasks.joined(separator: ",\n") + "]\n").utf8))
        let imported = spawn(
            ["task", "import", file], cwd: directory, environment: env,
            timeout: options.timeout, stderr: errors)
        guard imported.status == 0 else {
            report.notes.append(
                "taskwarrior not measured: task import failed "
                    + "(exit \(imported.status)): "
                    + readText(errors))
            return
        }
        let open = openIncident(shape)
        let middle = n / 2
        let work: [(String, [String], [String], Double?)] = [
            (
                "create", ["task", "add", "Bench: checkout 5xx", "priority:M", "project:checkout"],
                [binary, "declare", "Bench: checkout 5xx", "-s", "2", "--service", "checkout"], nil
            ),
            (
                "append", ["task", "1", "annotate", "bench note: error rate falling"],
                [binary, "log", open, "bench note: error rate falling"], nil
            ),
            ("list of \(n) open", ["task", "list"], [binary, "list"], 0.05),
            (
                "filtered list (\(n / 4) rows)", ["task", "priority:H", "list"],
                [binary, "list", "-s", "SEV1"], 0.05
            ),
            ("show", ["task", "\(middle)", "info"], [binary, "show", "INC-\(middle)"], nil),
        ]
        for (label, taskCommand, irctlCommand, budget) in work {
            var versus = Versus(
                work: label, task: taskCommand.joined(separator: " "),
                irctl: (["irctl"] + irctlCommand.dropFirst())
                    .joined(separator: " "),
                taskSamples: [], irctlSamples: [], budgetRatio: budget)
            let irctlEnv = environment(home: shape.home)
            _ = spawn(taskCommand, cwd: directory, environment: env, timeout: options.timeout)
            _ = spawn(
                irctlCommand, cwd: shape.bench, environment: irctlEnv,
                timeout: options.timeout)
            for _ in 0..<options.runs {
                let t = spawn(
                    taskCommand, cwd: directory, environment: env,
                    timeout: options.timeout, stderr: errors)
                guard t.status == 0 else {
                    versus.failure = "task exit \(t.status)"
                    break
                }
                let i = spawn(
                    irctlCommand, cwd: shape.bench, environment: irctlEnv,
                    timeout: options.timeout, stderr: errors)
                guard i.status == 0 else {
                    versus.failure = "irctl exit \(i.status)"
                    break
                }
                versus.taskSamples.append(t.ms)
                versus.irctlSamples.append(i.ms)
            }
            if options.callgrind {
                versus.taskInstructions = instructions(
                    taskCommand, cwd: directory, environment: env,
                    timeout: options.timeout)
                versus.irctlInstructions = instructions(
                    irctlCommand, cwd: shape.bench,
                    environment: irctlEnv,
                    timeout: options.timeout)
            }
            let ratio = versus.ratio.map { String(format: "%.2f ×", $0) } ?? versus.verdict
            say("task · \(label): \(ratio)")
            report.versus.append(versus)
        }
        settle(shape)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
