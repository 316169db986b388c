import Foundation

/// Runs batches through three kinds of threads with bounded memory:
/// one producer (reads inputs, forms batches), `workers` worker threads (do the work),
/// and the calling thread (consumes finished batches in the order they were produced).
///
/// At most `capacity` batches exist at any moment (queued, being worked on, or waiting
/// to be consumed in order), whatever the size of the input. If the consumer throws, the
/// producer is stopped at its next batch, in-flight batches are drained unconsumed, and
/// `run` rethrows the consumer's error.
final class BatchEngine<In, Out>: @unchecked Sendable {
    let workers: Int
    let capacity: Int

    init(workers: Int, capacity: Int) {
        self.workers = max(1, workers)
        self.capacity = max(2, capacity)
    }

    /// State shared between the engine's threads, behind a lock.
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var error: Error?
        private var finished = 0
        var producerError: Error? { lock.lock(); defer { lock.unlock() }; return error }
        func set(producerError e: Error) { lock.lock(); error = e; lock.unlock() }
        /// Counts a finished worker; true for the last one.
        func workerFinished(of total: Int) -> Bool {
            lock.lock(); defer { lock.unlock() }
            finished += 1
            return finished == total
        }
    }

    /// Thrown by `submit` once the run is being stopped.
    struct Stopped: Error {}

    private let lock = NSLock()
    private var stopped = false
    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    private func stop() { lock.lock(); stopped = true; lock.unlock() }

    /// - Parameters:
    ///   - produce: called on the producer thread with a `submit` function for each batch.
    ///   - work: called on worker threads, one batch at a time; must return one output per input.
    ///   - consume: called on the calling thread, batches in production order.
    func run(produce: @escaping (_ submit: ([In]) throws -> Void) throws -> Void,
             work: @escaping ([In]) -> [Out],
             consume: ([Out]) throws -> Void) throws {
        let inFlight = DispatchSemaphore(value: capacity)
        let inQueue = BoundedQueue<(Int, [In])>(capacity: capacity)
        let outQueue = BoundedQueue<(Int, [Out])>(capacity: capacity + workers + 1)
        let producerDone = DispatchSemaphore(value: 0)
        let shared = Shared()

        let producer = Thread { [self] in
            var seq = 0
            do {
                try produce { batch in
                    if batch.isEmpty { return }
                    inFlight.wait()
                    if self.isStopped { inFlight.signal(); throw Stopped() }
                    inQueue.push((seq, batch))
                    seq += 1
                }
            } catch is Stopped {
            } catch {
                shared.set(producerError: error)
            }
            inQueue.close()
            producerDone.signal()
        }
        producer.stackSize = 8 << 20
        producer.start()

        for _ in 0..<workers {
            let t = Thread {
                while let (seq, batch) = inQueue.pop() {
                    outQueue.push((seq, work(batch)))
                }
                if shared.workerFinished(of: self.workers) { outQueue.close() }
            }
            t.stackSize = 8 << 20
            t.start()
        }

        var pending = [Int: [Out]]()
        var next = 0
        var consumerError: Error?
        while let (seq, out) = outQueue.pop() {
            pending[seq] = out
            while let ready = pending.removeValue(forKey: next) {
                next += 1
                if consumerError == nil {
                    do { try consume(ready) } catch {
                        consumerError = error
                        stop()
                    }
                }
                inFlight.signal()
            }
        }
        producerDone.wait()
        if let consumerError { throw consumerError }
        if let producerError = shared.producerError { throw producerError }
    }
}
