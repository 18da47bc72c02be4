/// A format-1 incident file written by irctl before format 2 (this exact binary's output), and the
/// same file after that older irctl logged one more note: what an older teammate pushes.
enum Format1SyncFixture {
    static let config = #"""
        {
          "schemaVersion" : 1
        }
        """#

    static let gitignore = #"""
        # Local to this machine; rebuilt from the incident files.
        cache/
        lock
        """#

    /// `.irctl/incidents/INC-1.json` as first published.
    static let before = #"""
        {
          "actionItems" : [

          ],
          "createdAt" : "2026-11-20T10:00:00Z",
          "detectedAt" : "2026-11-20T10:00:00Z",
          "id" : "INC-1",
          "links" : [

          ],
          "narrative" : {

          },
          "phase" : "declare",
          "roles" : {

          },
          "schemaVersion" : 1,
          "services" : [
            "payments"
          ],
          "severity" : "SEV2",
          "tags" : [

          ],
          "timeline" : [
            {
              "at" : "2026-11-20T10:00:00Z",
              "author" : "olivia",
              "data" : {
                "to" : "detect"
              },
              "hash" : "5eefc49c3a1fcc15d4faf9310185f3c4436343b0e4a0ea7f80922ddbf4886ada",
              "kind" : "phase",
              "recordedAt" : "2026-11-20T10:00:00Z",
              "seq" : 1,
              "text" : "Detected: Payments timeouts"
            },
            {
              "at" : "2026-11-20T10:00:00Z",
              "author" : "olivia",
              "data" : {
                "from" : "detect",
                "severity" : "SEV2",
                "to" : "declare"
              },
              "hash" : "3c77634035130880979cb43a5d545b4ba9fc4f5c6f1380511da3e31b4104c883",
              "kind" : "phase",
              "recordedAt" : "2026-11-20T10:00:00Z",
              "seq" : 2,
              "text" : "Declared SEV2 · services payments"
            }
          ],
          "title" : "Payments timeouts",
          "uid" : "13da0be8-e997-4186-9ae7-88afe863270a"
        }
        """#

    /// The same file after the older irctl's `log 1 "old binary: restarted the payments pods"`.
    static let after = #"""
        {
          "actionItems" : [

          ],
          "createdAt" : "2026-11-20T10:00:00Z",
          "detectedAt" : "2026-11-20T10:00:00Z",
          "id" : "INC-1",
          "links" : [

          ],
          "narrative" : {

          },
          "phase" : "declare",
          "roles" : {

          },
          "schemaVersion" : 1,
          "services" : [
            "payments"
          ],
          "severity" : "SEV2",
          "tags" : [

          ],
          "timeline" : [
            {
              "at" : "2026-11-20T10:00:00Z",
              "author" : "olivia",
              "data" : {
                "to" : "detect"
              },
              "hash" : "5eefc49c3a1fcc15d4faf9310185f3c4436343b0e4a0ea7f80922ddbf4886ada",
              "kind" : "phase",
              "recordedAt" : "2026-11-20T10:00:00Z",
              "seq" : 1,
              "text" : "Detected: Payments timeouts"
            },
            {
              "at" : "2026-11-20T10:00:00Z",
              "author" : "olivia",
              "data" : {
                "from" : "detect",
                "severity" : "SEV2",
                "to" : "declare"
              },
              "hash" : "3c77634035130880979cb43a5d545b4ba9fc4f5c6f1380511da3e31b4104c883",
              "kind" : "phase",
              "recordedAt" : "2026-11-20T10:00:00Z",
              "seq" : 2,
              "text" : "Declared SEV2 · services payments"
            },
            {
              "at" : "2026-11-20T10:05:00Z",
              "author" : "olivia",
              "hash" : "685f210dca9a1d8e792c9982e2e60fd4e68dda697d39ecbef79eb181bb2ee43b",
              "kind" : "note",
              "recordedAt" : "2026-11-20T10:05:00Z",
              "seq" : 3,
              "text" : "old binary: restarted the payments pods"
            }
          ],
          "title" : "Payments timeouts",
          "uid" : "13da0be8-e997-4186-9ae7-88afe863270a"
        }
        """#
}
