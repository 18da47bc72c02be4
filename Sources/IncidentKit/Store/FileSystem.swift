import Glibc

/// Identity of a file's current content: a rename gives a new inode, an edit in place a new ctime.
/// The status-change time, not the mtime: `cp -p`, `rsync -a`, `tar x` and `touch -r` put an old
/// mtime back on new content, but nothing outside the kernel can set the ctime.
struct FileIdentity: Hashable, Sendable {
    var inode: UInt64
    var changedNanoseconds: Int64
    var size: Int64

    init(_ st: stat) {
        inode = UInt64(st.st_ino)
        changedNanoseconds = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
        size = Int64(st.st_size)
    }

    init(inode: UInt64, changedNanoseconds: Int64, size: Int64) {
        self.inode = inode
        self.changedNanoseconds = changedNanoseconds
        self.size = size
    }
}

/// The few POSIX file operations the store needs, written out so every write is atomic and durable
/// (a crash at any instant leaves the old file or the new one): Foundation's atomic write neither
/// fsyncs the directory nor cleans up after a crash.
enum FileSystem {
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func ioError(_ path: String, _ operation: String, _ code: Int32 = errno) -> StoreError {
        if code == ENOSPC || code == EDQUOT { return .noSpace(path: path) }
        if code == EFBIG {
            return .io(
                path: path, operation: operation,
                reason:
                    "the file size limit was reached (\(describe(code)), see 'ulimit -f'); the "
                    + "previous version is intact"
            )
        }
        return .io(path: path, operation: operation, reason: describe(code))
    }

    /// Reads a whole regular file. Refuses links and files over `limit` bytes; nil when it doesn't
    /// exist.
    static func read(
        _ path: String, limit: Int, what: String = "an incident file"
    ) throws(StoreError) -> [UInt8]? {
        // O_NONBLOCK: opening a FIFO planted under a store file's name must not hang (with the lock
        // held); it is refused below as not a regular file. Regular files ignore the flag.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP { throw .symlinkRefused(path: path) }
            throw ioError(path, "read", code)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ioError(path, "read") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .notRegularFile(path: path, kind: Self.kind(st.st_mode))
        }
        guard Int(st.st_size) <= limit else {
            throw .tooLarge(path: path, limit: limit, what: what)
        }
        // Uninitialised capacity: zero-filling a large index first would cost as much as reading
        // it.
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(st.st_size)) { _, count in
            count = Int(st.st_size)
        }
        var total = 0
        while true {
            if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 4096)) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "read")
            }
            if n == 0 { break }
            total += n
            guard total <= limit else { throw .tooLarge(path: path, limit: limit, what: what) }
        }
        bytes.removeSubrange(total...)
        return bytes
    }

    /// Replaces `name` in `directory` atomically: a temporary file in the same directory, written,
    /// fsynced, renamed over the old one, then the directory fsynced. A crash at any instant leaves
    /// the old file or the new one. `durable: false` skips the fsyncs, for rebuildable caches.
    /// Returns the identity of the new file.
    @discardableResult
    static func replace(
        directory: String, name: String, with bytes: [UInt8], durable: Bool = true
    ) throws(StoreError) -> FileIdentity {
        let path = directory + "/" + name
        // One writer at a time holds the store lock, so a fixed temporary name is safe, and a
        // crash leaves at most one stray file per target, which the next write replaces.
        let temporary = directory + "/." + name + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw ioError(temporary, "create") }
        var failure: StoreError?
        defer {
            if failure != nil { unlink(temporary) }
        }
        fchmod(fd, 0o600)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                failure = ioError(path, "write")
                break
            }
            written += n
        }
        if failure == nil, durable, fsync(fd) != 0 { failure = ioError(path, "sync") }
        var st = stat()
        if failure == nil, fstat(fd, &st) != 0 { failure = ioError(path, "stat") }
        if close(fd) != 0, failure == nil { failure = ioError(path, "write") }
        if let failure { throw failure }
        if rename(temporary, path) != 0 {
            let error = ioError(path, "replace")
            failure = error
            throw error
        }
        if durable { syncDirectory(directory) }
        // The rename itself changes the ctime: the identity is the renamed file's, if it is still
        // ours.
        var renamed = stat()
        if lstat(path, &renamed) == 0, renamed.st_ino == st.st_ino { return FileIdentity(renamed) }
        return FileIdentity(st)
    }

    /// What a file that is not a regular file is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Creates a private directory (0700 whatever the umask), and its parents as needed.
    static func makeDirectory(_ path: String) throws(StoreError) {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw .io(path: path, operation: "use", reason: "not a directory")
            }
            return
        }
        let parent = parentDirectory(of: path)
        if !parent.isEmpty, parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw ioError(path, "create directory") }
        chmod(path, 0o700)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func identity(_ path: String) -> FileIdentity? {
        var st = stat()
        return lstat(path, &st) == 0 ? FileIdentity(st) : nil
    }

    /// True for a directory (not a symbolic link to one).
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// `INC-<n>.json` → n, from the name's bytes. A hot path (once per incident for `list`), so
    /// it allocates nothing.
    static func incidentNumber(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = name.count
        // "INC-" + 1…9 digits + ".json"
        guard count >= 10, count <= 18,
            name[0] == 0x49, name[1] == 0x4E, name[2] == 0x43, name[3] == 0x2D,
            name[count - 5] == 0x2E, name[count - 4] == 0x6A, name[count - 3] == 0x73,
            name[count - 2] == 0x6F, name[count - 1] == 0x6E,
            name[4] != 0x30
        else { return nil }
        var value = 0
        for i in 4..<(count - 5) {
            let byte = name[i]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        return value
    }

    static func incidentNumber(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { incidentNumber($0) }
    }

    /// Opens a directory for reading its names, never through a symbolic link: a link (which git
    /// can carry) could lead a walk of the store, and what it deletes, outside it.
    static func openDirectory(_ path: String) -> OpaquePointer? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard let dir = fdopendir(fd) else {
            close(fd)
            return nil
        }
        return dir
    }

    /// The incident files in a directory, by number, with each one's identity (nil for anything but
    /// a regular file, such as a symbolic link). Other names are ignored.
    static func incidentFiles(_ directory: String) -> [(number: Int, identity: FileIdentity?)] {
        guard let dir = openDirectory(directory) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [(Int, FileIdentity?)] = []
        var st = stat()
        while let entry = readdir(dir) {
            let found: (Int, FileIdentity?)? = withUnsafePointer(to: &entry.pointee.d_name) {
                pointer in
                let name = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                let bytes = UnsafeBufferPointer(
                    start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                    count: strlen(name))
                guard let number = incidentNumber(bytes) else { return nil }
                let ok =
                    fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
                    && (st.st_mode & S_IFMT) == S_IFREG
                return (number, ok ? FileIdentity(st) : nil)
            }
            if let found { result.append(found) }
        }
        return result
    }

    /// The format-1 file names (`INC-<n>.json`) in a directory, without a `stat` or a string for
    /// each of the other names (10,000 `stat`s cost 20 ms and more).
    static func format1Names(_ directory: String) -> [String] {
        guard let dir = openDirectory(directory) else { return [] }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                let cName = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                let bytes = UnsafeBufferPointer(
                    start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                    count: strlen(cName))
                return incidentNumber(bytes) == nil ? nil : String(decoding: bytes, as: UTF8.self)
            }
            if let name { result.append(name) }
        }
        return result
    }

    /// Names in a directory with each one's identity, without following links.
    static func list(_ directory: String) -> [(name: String, identity: FileIdentity?)] {
        guard let dir = openDirectory(directory) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [(String, FileIdentity?)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var st = stat()
            let identity =
                fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFREG
                ? FileIdentity(st) : nil
            result.append((name, identity))
        }
        return result
    }

    /// A directory's entries with what each is (`st_mode`) and its identity, without following
    /// links.
    static func entries(
        _ directory: String
    ) -> [(name: String, mode: mode_t, inode: UInt64, changed: Int64, size: Int64)] {
        guard let dir = openDirectory(directory) else { return [] }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [(String, mode_t, UInt64, Int64, Int64)] = []
        var st = stat()
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let identity = FileIdentity(st)
            result.append(
                (name, st.st_mode, identity.inode, identity.changedNanoseconds, identity.size))
        }
        return result
    }

    /// Appends to a regular file (a cache journal), creating it if needed.
    static func append(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        let fd = open(
            path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw ioError(path, "append to") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw .notRegularFile(path: path, kind: kind(st.st_mode))
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes {
                write(fd, $0.baseAddress! + written, $0.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "append to")
            }
            written += n
        }
    }

    /// Removes a file; a missing one is fine.
    static func remove(_ path: String) throws(StoreError) {
        if unlink(path) != 0, errno != ENOENT { throw ioError(path, "remove") }
    }
}
