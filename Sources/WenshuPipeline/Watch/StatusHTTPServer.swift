import Foundation
import Dispatch
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.0 server bound to 127.0.0.1 only: `GET /status` gives the status JSON,
/// `GET /metrics` Prometheus text; anything else is 404. One request per connection; no
/// keep-alive, no TLS, no outside access.
///
/// An accepting thread hands each connection to a thread of its own, so a slow or stalled
/// client never delays another: each connection has `requestTimeout` seconds in all (not
/// per byte) to send its request line, and at most `maxConnections` are served at once
/// (more are answered `503` at once and closed).
public final class StatusHTTPServer: @unchecked Sendable {
    private let fd: Int32
    private let status: WatchStatus
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?
    /// The port actually bound (useful with port 0 in tests).
    public let port: UInt16
    /// Seconds a client has to send its request, in all.
    public var requestTimeout: Double = 2
    /// Connections served at the same time.
    public var maxConnections = 64
    private var active = 0

    public init(port: UInt16, status: WatchStatus) throws {
        self.status = status
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if s < 0 { throw WenshuError(.watch.http, "socket failed", stage: .output, errno: ErrnoError("socket")) }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let b = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if b != 0 || listen(s, 16) != 0 {
            let e = ErrnoError("listen")
            close(s)
            throw WenshuError(.watch.http, "cannot listen on 127.0.0.1:\(port)", stage: .output, errno: e)
        }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        self.port = UInt16(bigEndian: bound.sin_port)
        fd = s
    }

    deinit { close(fd) }

    /// Serves on a background thread until `stop`.
    public func start() {
        lock.lock(); running = true; lock.unlock()
        let t = Thread { [self] in self.loop() }
        t.name = "wenshu-watch-http"
        thread = t
        t.start()
    }

    public func stop() { lock.lock(); running = false; lock.unlock() }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    private func loop() {
        while isRunning {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 200) <= 0 { continue }
            let c = accept(fd, nil, nil)
            if c < 0 { continue }
            _ = fcntl(c, F_SETFD, FD_CLOEXEC)
            lock.lock()
            let admitted = active < maxConnections
            if admitted { active += 1 }
            lock.unlock()
            guard admitted else {
                respond(c, "503 Service Unavailable", "text/plain", Array("busy\n".utf8))
                close(c)
                continue
            }
            let t = Thread { [self] in
                self.serve(c)
                close(c)
                self.lock.lock(); self.active -= 1; self.lock.unlock()
            }
            t.name = "wenshu-watch-http-conn"
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(requestTimeout * 1e9)
        var req = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 2048)
        while req.count < 8192 {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { break }
            var p = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, Int32((deadline - now) / 1_000_000) + 1) <= 0 { break }
            let n: Int
            do {
                n = try Posix.retrying("recv") { buf.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) } }
            } catch let e as ErrnoError where e.wouldBlock {
                continue
            } catch {
                break
            }
            if n == 0 { break }
            req += buf[0..<n]
            if req.count >= 4 && req.suffix(4) == [13, 10, 13, 10] { break }
            if req.contains(10) { break } // the request line is enough
        }
        let line = String(decoding: req.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let target = parts.count >= 2 ? String(parts[1]) : ""
        let (code, type, body): (String, String, [UInt8])
        switch (parts.first.map(String.init), target) {
        case ("GET", "/status"): (code, type, body) = ("200 OK", "application/json", status.json())
        case ("GET", "/metrics"): (code, type, body) = ("200 OK", "text/plain; version=0.0.4", Array(status.prometheus().utf8))
        default: (code, type, body) = ("404 Not Found", "text/plain", Array("not found\n".utf8))
        }
        respond(c, code, type, body)
    }

    private func respond(_ c: Int32, _ code: String, _ type: String, _ body: [UInt8]) {
        let head = "HTTP/1.0 \(code)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let all = Array(head.utf8) + body
        var off = 0
        while off < all.count {
            let n = all.withUnsafeBytes { send(c, $0.baseAddress! + off, all.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            off += n
        }
    }
}
