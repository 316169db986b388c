import Foundation

/// A blocking FIFO with a capacity: `push` waits while full, `pop` waits while empty
/// and returns nil once the queue is closed and drained.
final class BoundedQueue<T>: @unchecked Sendable {
    private var items = [T]()
    private var head = 0
    private let capacity: Int
    private var closed = false
    private let cond = NSCondition()

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func push(_ item: T) {
        cond.lock()
        while items.count - head >= capacity && !closed { cond.wait() }
        items.append(item)
        cond.broadcast()
        cond.unlock()
    }

    func pop() -> T? {
        cond.lock()
        defer { cond.unlock() }
        while items.count - head == 0 && !closed { cond.wait() }
        guard items.count - head > 0 else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        cond.broadcast()
        return item
    }

    func close() {
        cond.lock()
        closed = true
        cond.broadcast()
        cond.unlock()
    }
}
