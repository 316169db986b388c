import Foundation
import WenshuModel

/// A one-line progress bar on standard error (a terminal), or one line per epoch otherwise.
/// The dev score shown is the last finished epoch's, with the best so far beside it: early
/// stopping keeps the best epoch's weights, so the final line reports that one.
final class ProgressBar {
    let terminal: Bool
    var lastDev: Double?
    var best: (score: Double, epoch: Int)?
    var lastDraw = 0.0
    init(terminal: Bool) { self.terminal = terminal }

    func update(_ p: TrainingProgress) {
        if p.epochDone, let d = p.devScore {
            lastDev = d
            if best == nil || d >= best!.score { best = (d, p.epoch) }
        }
        var dev = lastDev.map { String(format: "%.4f", $0) } ?? "-"
        if let b = best { dev += String(format: " (best %.4f, epoch %d)", b.score, b.epoch) }
        if terminal {
            let now = Date().timeIntervalSince1970
            if !p.epochDone && now - lastDraw < 0.1 { return }
            lastDraw = now
            let width = 30
            let frac = p.totalSteps > 0 ? Double(p.step) / Double(p.totalSteps) : 0
            let filled = Int(frac * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = String(format: "\r%@ epoch %d/%d %@ %d/%d loss %.4f dev %@ ", p.task, p.epoch, p.epochs, bar,
                              p.step, p.totalSteps, p.loss, dev)
            FileHandle.standardError.write(Data(line.utf8))
        } else if p.epochDone {
            printErr(String(format: "%@ epoch %d/%d loss %.4f dev %@", p.task, p.epoch, p.epochs, p.loss, dev))
        }
    }

    func finish() { if terminal { FileHandle.standardError.write(Data("\n".utf8)) } }
}
