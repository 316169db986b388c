// The catalogue of error codes: every `WenshuError` is made with one of these members, so that
// the codes users filter the error stream by are listed in one place (README.md renders
// `ErrorCode.catalogue` as its error table; a test keeps the two equal). Add a code here,
// with its meaning, before using it.

extension ErrorCode {
    /// Model bundles: manifest, tensors, heads.
    public static let bundle = Bundle()
    /// Pipeline files and their options.
    public static let config = Config()
    /// Labelled sets read for training and evaluation.
    public static let dataset = Dataset()
    /// Documents as a whole.
    public static let document = Document()
    /// DOCX (Word) documents.
    public static let docx = DOCX()
    /// Character encodings of plain text.
    public static let encoding = Encoding()
    /// Evaluation of a head on labelled data.
    public static let eval = Eval()
    /// Input files as a whole (size, emptiness, binary data).
    public static let file = File()
    /// Filter mode (JSONL on stdin).
    public static let filter = Filter()
    /// Input format detection.
    public static let format = Format()
    /// HTML pages.
    public static let html = HTML()
    /// ICU.
    public static let icu = ICU()
    /// Turning an input into documents.
    public static let ingest = Ingest()
    /// Broken invariants (bugs).
    public static let internalError = Internal()
    /// The batch journal, its lock and its parts.
    public static let journal = Journal()
    /// JSON and JSONL records.
    public static let json = JSON()
    /// The LAC encoder and its files.
    public static let lac = LAC()
    /// Running the model.
    public static let model = Model()
    /// Writing results, errors and parts.
    public static let output = Output()
    /// Training plans.
    public static let plan = Plan()
    /// Reading inputs from disk or a stream.
    public static let read = Read()
    /// A batch run as a whole.
    public static let run = Run()
    /// Normalization, segmentation, structure.
    public static let text = Text()
    /// Training heads and encoders.
    public static let train = Train()
    /// Transformer (BERT) checkpoints.
    public static let transformer = Transformer()
    /// The watched inbox.
    public static let watch = Watch()
    /// Website (crawl) records.
    public static let web = Web()
    /// XML documents.
    public static let xml = XML()

    /// Every code, grouped as above.
    public static var catalogue: [ErrorCode] {
        [bundle.all, config.all, dataset.all, document.all, docx.all, encoding.all, eval.all, file.all, filter.all, format.all, html.all, icu.all, ingest.all, internalError.all, journal.all, json.all, lac.all, model.all, output.all, plan.all, read.all, run.all, text.all, train.all, transformer.all, watch.all, web.all, xml.all].flatMap { $0 }
    }

    /// `bundle.*` codes: model bundles: manifest, tensors, heads.
    public struct Bundle: Sendable {
        /// The encoder configuration in manifest.json (or given to train) is invalid.
        public let badConfig = ErrorCode("bundle.bad_config", "the encoder configuration in manifest.json (or given to train) is invalid")
        /// A bundle file has the wrong size or layout.
        public let badFile = ErrorCode("bundle.bad_file", "a bundle file has the wrong size or layout")
        /// A head's settings or tensors are invalid.
        public let badHead = ErrorCode("bundle.bad_head", "a head's settings or tensors are invalid")
        /// A head name is not 1-64 letters, digits, '_', '-' or '.'.
        public let badHeadName = ErrorCode("bundle.bad_head_name", "a head name is not 1-64 letters, digits, '_', '-' or '.'")
        /// Manifest.json does not decode, has an unsupported format or an unknown encoder type.
        public let badManifest = ErrorCode("bundle.bad_manifest", "manifest.json does not decode, has an unsupported format or an unknown encoder type")
        /// Annotation options (heads, thresholds, min_scores, gates) do not fit the bundle.
        public let badOptions = ErrorCode("bundle.bad_options", "annotation options (heads, thresholds, min_scores, gates) do not fit the bundle")
        /// A safetensors file is malformed (header, offsets, dtype).
        public let badTensors = ErrorCode("bundle.bad_tensors", "a safetensors file is malformed (header, offsets, dtype)")
        /// MODEL_CARD.md cannot be updated.
        public let card = ErrorCode("bundle.card", "MODEL_CARD.md cannot be updated")
        /// A head was trained on another encoder than the bundle's.
        public let fingerprintMismatch = ErrorCode("bundle.fingerprint_mismatch", "a head was trained on another encoder than the bundle's")
        /// The bundle already has a head of that name (pass --replace).
        public let headExists = ErrorCode("bundle.head_exists", "the bundle already has a head of that name (pass --replace)")
        /// The pipeline's model bundle cannot be loaded.
        public let load = ErrorCode("bundle.load", "the pipeline's model bundle cannot be loaded")
        /// A tensor file of the bundle cannot be read.
        public let missingFile = ErrorCode("bundle.missing_file", "a tensor file of the bundle cannot be read")
        /// The bundle folder has no readable manifest.json.
        public let missingManifest = ErrorCode("bundle.missing_manifest", "the bundle folder has no readable manifest.json")
        /// A tensor the configuration requires is missing.
        public let missingTensor = ErrorCode("bundle.missing_tensor", "a tensor the configuration requires is missing")
        /// The model path is a file, not a bundle folder.
        public let notFolder = ErrorCode("bundle.not_folder", "the model path is a file, not a bundle folder")
        /// The model bundle folder does not exist.
        public let notFound = ErrorCode("bundle.not_found", "the model bundle folder does not exist")
        /// A tensor's shape differs from what the configuration requires.
        public let shapeMismatch = ErrorCode("bundle.shape_mismatch", "a tensor's shape differs from what the configuration requires")
        /// The bundle has no head of that name.
        public let unknownHead = ErrorCode("bundle.unknown_head", "the bundle has no head of that name")
        /// A bundle file cannot be written.
        public let writeFailed = ErrorCode("bundle.write_failed", "a bundle file cannot be written")
        /// Every code of the group.
        public var all: [ErrorCode] { [badConfig, badFile, badHead, badHeadName, badManifest, badOptions, badTensors, card, fingerprintMismatch, headExists, load, missingFile, missingManifest, missingTensor, notFolder, notFound, shapeMismatch, unknownHead, writeFailed] }
    }

    /// `config.*` codes: pipeline files and their options.
    public struct Config: Sendable {
        /// The pipeline's model bundle folder does not exist or has no manifest.json.
        public let bundleMissing = ErrorCode("config.bundle_missing", "the pipeline's model bundle folder does not exist or has no manifest.json")
        /// The pipeline file is empty.
        public let empty = ErrorCode("config.empty", "the pipeline file is empty")
        /// The pipeline file is not UTF-8.
        public let encoding = ErrorCode("config.encoding", "the pipeline file is not UTF-8")
        /// An input path of the pipeline does not exist.
        public let inputMissing = ErrorCode("config.input_missing", "an input path of the pipeline does not exist")
        /// A pipeline value is invalid (bad shard, clashing folders, bad option).
        public let invalid = ErrorCode("config.invalid", "a pipeline value is invalid (bad shard, clashing folders, bad option)")
        /// A required pipeline section is missing (for example `watch:`).
        public let missing = ErrorCode("config.missing", "a required pipeline section is missing (for example `watch:`)")
        /// A required key of the pipeline file is missing.
        public let missingKey = ErrorCode("config.missing_key", "a required key of the pipeline file is missing")
        /// The pipeline's model options do not fit the bundle's heads (unknown head, threshold, gate).
        public let model = ErrorCode("config.model", "the pipeline's model options do not fit the bundle's heads (unknown head, threshold, gate)")
        /// The pipeline file's top level is not a mapping of keys.
        public let notMapping = ErrorCode("config.not_mapping", "the pipeline file's top level is not a mapping of keys")
        /// A pipeline key has no value.
        public let null = ErrorCode("config.null", "a pipeline key has no value")
        /// A pipeline number is out of its range.
        public let range = ErrorCode("config.range", "a pipeline number is out of its range")
        /// A pipeline value has the wrong type.
        public let type = ErrorCode("config.type", "a pipeline value has the wrong type")
        /// The pipeline file has a key Wenshu does not know.
        public let unknownKey = ErrorCode("config.unknown_key", "the pipeline file has a key Wenshu does not know")
        /// The pipeline file cannot be read.
        public let unreadable = ErrorCode("config.unreadable", "the pipeline file cannot be read")
        /// The pipeline file is not valid YAML.
        public let yaml = ErrorCode("config.yaml", "the pipeline file is not valid YAML")
        /// Every code of the group.
        public var all: [ErrorCode] { [bundleMissing, empty, encoding, inputMissing, invalid, missing, missingKey, model, notMapping, null, range, type, unknownKey, unreadable, yaml] }
    }

    /// `dataset.*` codes: labelled sets read for training and evaluation.
    public struct Dataset: Sendable {
        /// A labelled file holds no records.
        public let empty = ErrorCode("dataset.empty", "a labelled file holds no records")
        /// A labelled record cannot be read in the given format.
        public let malformed = ErrorCode("dataset.malformed", "a labelled record cannot be read in the given format")
        /// The labelled set's format cannot be detected (pass --format).
        public let undetected = ErrorCode("dataset.undetected", "the labelled set's format cannot be detected (pass --format)")
        /// Every code of the group.
        public var all: [ErrorCode] { [empty, malformed, undetected] }
    }

    /// `document.*` codes: documents as a whole.
    public struct Document: Sendable {
        /// Processing the document killed the process too many times: not tried again.
        public let crashed = ErrorCode("document.crashed", "processing the document killed the process too many times: not tried again")
        /// A document exceeds the document size limit.
        public let tooLarge = ErrorCode("document.too_large", "a document exceeds the document size limit")
        /// Every code of the group.
        public var all: [ErrorCode] { [crashed, tooLarge] }
    }

    /// `docx.*` codes: dOCX (Word) documents.
    public struct DOCX: Sendable {
        /// A DOCX file is not a readable ZIP archive.
        public let corrupt = ErrorCode("docx.corrupt", "a DOCX file is not a readable ZIP archive")
        /// A DOCX archive has no main document part.
        public let missingPart = ErrorCode("docx.missing_part", "a DOCX archive has no main document part")
        /// A DOCX document body has no text.
        public let noText = ErrorCode("docx.no_text", "a DOCX document body has no text")
        /// A DOCX archive declares more uncompressed bytes than allowed.
        public let zipBomb = ErrorCode("docx.zip_bomb", "a DOCX archive declares more uncompressed bytes than allowed")
        /// Every code of the group.
        public var all: [ErrorCode] { [corrupt, missingPart, noText, zipBomb] }
    }

    /// `encoding.*` codes: character encodings of plain text.
    public struct Encoding: Sendable {
        /// A byte sequence is invalid in the declared or detected encoding.
        public let invalid = ErrorCode("encoding.invalid", "a byte sequence is invalid in the declared or detected encoding")
        /// The bytes are not valid UTF-8.
        public let invalidUtf8 = ErrorCode("encoding.invalid_utf8", "the bytes are not valid UTF-8")
        /// The text is not UTF-8, UTF-16, GB18030 or Big5.
        public let undetected = ErrorCode("encoding.undetected", "the text is not UTF-8, UTF-16, GB18030 or Big5")
        /// The declared encoding cannot be decoded.
        public let unsupported = ErrorCode("encoding.unsupported", "the declared encoding cannot be decoded")
        /// Every code of the group.
        public var all: [ErrorCode] { [invalid, invalidUtf8, undetected, unsupported] }
    }

    /// `eval.*` codes: evaluation of a head on labelled data.
    public struct Eval: Sendable {
        /// The evaluation split holds no examples.
        public let empty = ErrorCode("eval.empty", "the evaluation split holds no examples")
        /// The labelled data carries nothing the head predicts.
        public let kindMismatch = ErrorCode("eval.kind_mismatch", "the labelled data carries nothing the head predicts")
        /// The model returned a different number of results than texts.
        public let predictions = ErrorCode("eval.predictions", "the model returned a different number of results than texts")
        /// The bundle has no head of that name to evaluate.
        public let unknownHead = ErrorCode("eval.unknown_head", "the bundle has no head of that name to evaluate")
        /// Every code of the group.
        public var all: [ErrorCode] { [empty, kindMismatch, predictions, unknownHead] }
    }

    /// `file.*` codes: input files as a whole (size, emptiness, binary data).
    public struct File: Sendable {
        /// The file holds NUL bytes: binary data, not text.
        public let binary = ErrorCode("file.binary", "the file holds NUL bytes: binary data, not text")
        /// The file holds no text.
        public let empty = ErrorCode("file.empty", "the file holds no text")
        /// The file exceeds max_file_bytes.
        public let tooLarge = ErrorCode("file.too_large", "the file exceeds max_file_bytes")
        /// Every code of the group.
        public var all: [ErrorCode] { [binary, empty, tooLarge] }
    }

    /// `filter.*` codes: filter mode (JSONL on stdin).
    public struct Filter: Sendable {
        /// An empty line on filter input.
        public let emptyLine = ErrorCode("filter.empty_line", "an empty line on filter input")
        /// A filter input line holds no document.
        public let noDocument = ErrorCode("filter.no_document", "a filter input line holds no document")
        /// A filter input line cannot be staged for ingest.
        public let tmp = ErrorCode("filter.tmp", "a filter input line cannot be staged for ingest")
        /// Every code of the group.
        public var all: [ErrorCode] { [emptyLine, noDocument, tmp] }
    }

    /// `format.*` codes: input format detection.
    public struct Format: Sendable {
        /// The input format is not one Wenshu reads.
        public let unsupported = ErrorCode("format.unsupported", "the input format is not one Wenshu reads")
        /// Every code of the group.
        public var all: [ErrorCode] { [unsupported] }
    }

    /// `html.*` codes: hTML pages.
    public struct HTML: Sendable {
        /// An HTML document cannot be parsed.
        public let malformed = ErrorCode("html.malformed", "an HTML document cannot be parsed")
        /// An HTML page has no visible text.
        public let noText = ErrorCode("html.no_text", "an HTML page has no visible text")
        /// Libxml2 could not create an HTML parser.
        public let parser = ErrorCode("html.parser", "libxml2 could not create an HTML parser")
        /// Every code of the group.
        public var all: [ErrorCode] { [malformed, noText, parser] }
    }

    /// `icu.*` codes: iCU.
    public struct ICU: Sendable {
        /// ICU's word or sentence break iterator failed.
        public let breakIterator = ErrorCode("icu.break", "ICU's word or sentence break iterator failed")
        /// ICU normalization failed.
        public let normalize = ErrorCode("icu.normalize", "ICU normalization failed")
        /// An ICU transliteration failed.
        public let transliterate = ErrorCode("icu.transliterate", "an ICU transliteration failed")
        /// An ICU transliterator cannot be opened.
        public let transliterator = ErrorCode("icu.transliterator", "an ICU transliterator cannot be opened")
        /// Every code of the group.
        public var all: [ErrorCode] { [breakIterator, normalize, transliterate, transliterator] }
    }

    /// `ingest.*` codes: turning an input into documents.
    public struct Ingest: Sendable {
        /// The input file is empty.
        public let empty = ErrorCode("ingest.empty", "the input file is empty")
        /// The input holds no document.
        public let noDocument = ErrorCode("ingest.no_document", "the input holds no document")
        /// The input file held no document.
        public let noDocuments = ErrorCode("ingest.no_documents", "the input file held no document")
        /// Every code of the group.
        public var all: [ErrorCode] { [empty, noDocument, noDocuments] }
    }

    /// `internal.*` codes: broken invariants (bugs).
    public struct Internal: Sendable {
        /// A document got no result (a bug: please report it).
        public let missingResult = ErrorCode("internal.missing_result", "a document got no result (a bug: please report it)")
        /// Every code of the group.
        public var all: [ErrorCode] { [missingResult] }
    }

    /// `journal.*` codes: the batch journal, its lock and its parts.
    public struct Journal: Sendable {
        /// The in-flight marker folder cannot be created.
        public let inflight = ErrorCode("journal.inflight", "the in-flight marker folder cannot be created")
        /// A journal read or write failed.
        public let io = ErrorCode("journal.io", "a journal read or write failed")
        /// The run's lock file cannot be created.
        public let lock = ErrorCode("journal.lock", "the run's lock file cannot be created")
        /// Another run holds the journal and its outputs.
        public let locked = ErrorCode("journal.locked", "another run holds the journal and its outputs")
        /// The journal database cannot be opened.
        public let open = ErrorCode("journal.open", "the journal database cannot be opened")
        /// A committed part file is shorter than the journal says.
        public let partShort = ErrorCode("journal.part_short", "a committed part file is shorter than the journal says")
        /// The journal was written by a newer Wenshu (a schema version this binary does not know).
        public let version = ErrorCode("journal.version", "the journal was written by a newer Wenshu (a schema version this binary does not know)")
        /// Every code of the group.
        public var all: [ErrorCode] { [inflight, io, lock, locked, open, partShort, version] }
    }

    /// `json.*` codes: jSON and JSONL records.
    public struct JSON: Sendable {
        /// Malformed JSON.
        public let malformed = ErrorCode("json.malformed", "malformed JSON")
        /// A JSON array holds no records.
        public let noRecords = ErrorCode("json.no_records", "a JSON array holds no records")
        /// A JSON record has none of the configured text fields.
        public let noTextField = ErrorCode("json.no_text_field", "a JSON record has none of the configured text fields")
        /// A JSON record is not an object.
        public let notObject = ErrorCode("json.not_object", "a JSON record is not an object")
        /// Every code of the group.
        public var all: [ErrorCode] { [malformed, noRecords, noTextField, notObject] }
    }

    /// `lac.*` codes: the LAC encoder and its files.
    public struct LAC: Sendable {
        /// A LAC tensor has the wrong shape.
        public let badShape = ErrorCode("lac.bad_shape", "a LAC tensor has the wrong shape")
        /// LAC's tag table is malformed.
        public let badTags = ErrorCode("lac.bad_tags", "LAC's tag table is malformed")
        /// LAC's vocabulary is malformed.
        public let badVocabulary = ErrorCode("lac.bad_vocabulary", "LAC's vocabulary is malformed")
        /// A LAC tensor holds a value that is not finite.
        public let badWeights = ErrorCode("lac.bad_weights", "a LAC tensor holds a value that is not finite")
        /// LAC's files are missing (run scripts/import-lac.sh).
        public let missingWeights = ErrorCode("lac.missing_weights", "LAC's files are missing (run scripts/import-lac.sh)")
        /// Every code of the group.
        public var all: [ErrorCode] { [badShape, badTags, badVocabulary, badWeights, missingWeights] }
    }

    /// `model.*` codes: running the model.
    public struct Model: Sendable {
        /// The model returned a different number of annotations than texts.
        public let batchSize = ErrorCode("model.batch_size", "the model returned a different number of annotations than texts")
        /// The model failed on a document.
        public let failed = ErrorCode("model.failed", "the model failed on a document")
        /// No model bundle found (pass --model or set WENSHU_MODEL).
        public let notFound = ErrorCode("model.not_found", "no model bundle found (pass --model or set WENSHU_MODEL)")
        /// A head kind this build does not know.
        public let unknownHeadKind = ErrorCode("model.unknown_head_kind", "a head kind this build does not know")
        /// Every code of the group.
        public var all: [ErrorCode] { [batchSize, failed, notFound, unknownHeadKind] }
    }

    /// `output.*` codes: writing results, errors and parts.
    public struct Output: Sendable {
        /// An output stream is used after it was closed.
        public let closed = ErrorCode("output.closed", "an output stream is used after it was closed")
        /// A record cannot be encoded as JSON.
        public let encode = ErrorCode("output.encode", "a record cannot be encoded as JSON")
        /// An output folder cannot be created.
        public let folder = ErrorCode("output.folder", "an output folder cannot be created")
        /// An output file cannot be opened for writing.
        public let open = ErrorCode("output.open", "an output file cannot be opened for writing")
        /// An output file cannot be read back.
        public let read = ErrorCode("output.read", "an output file cannot be read back")
        /// A finished output file cannot be moved into place.
        public let rename = ErrorCode("output.rename", "a finished output file cannot be moved into place")
        /// The end of an output file cannot be found.
        public let seek = ErrorCode("output.seek", "the end of an output file cannot be found")
        /// Fsync of an output file failed.
        public let sync = ErrorCode("output.sync", "fsync of an output file failed")
        /// An output file cannot be cut back to its last whole line.
        public let truncate = ErrorCode("output.truncate", "an output file cannot be cut back to its last whole line")
        /// Writing an output file failed.
        public let write = ErrorCode("output.write", "writing an output file failed")
        /// Every code of the group.
        public var all: [ErrorCode] { [closed, encode, folder, open, read, rename, seek, sync, truncate, write] }
    }

    /// `plan.*` codes: training plans.
    public struct Plan: Sendable {
        /// A training plan has no tasks.
        public let empty = ErrorCode("plan.empty", "a training plan has no tasks")
        /// A training plan is malformed (unknown kind or format, bad task).
        public let malformed = ErrorCode("plan.malformed", "a training plan is malformed (unknown kind or format, bad task)")
        /// A training plan cannot be read.
        public let read = ErrorCode("plan.read", "a training plan cannot be read")
        /// Every code of the group.
        public var all: [ErrorCode] { [empty, malformed, read] }
    }

    /// `read.*` codes: reading inputs from disk or a stream.
    public struct Read: Sendable {
        /// An input line is not a JSON object.
        public let badJson = ErrorCode("read.bad_json", "an input line is not a JSON object")
        /// The input path is a folder where a file was expected.
        public let directory = ErrorCode("read.directory", "the input path is a folder where a file was expected")
        /// An input cannot be read.
        public let failed = ErrorCode("read.failed", "an input cannot be read")
        /// An input folder cannot be listed.
        public let folder = ErrorCode("read.folder", "an input folder cannot be listed")
        /// Reading an input failed.
        public let io = ErrorCode("read.io", "reading an input failed")
        /// The input does not exist.
        public let missing = ErrorCode("read.missing", "the input does not exist")
        /// An input line has no string field "text".
        public let missingText = ErrorCode("read.missing_text", "an input line has no string field \"text\"")
        /// The input is not a regular file (device, socket, pipe): not read.
        public let notRegular = ErrorCode("read.not_regular", "the input is not a regular file (device, socket, pipe): not read")
        /// An input cannot be opened.
        public let open = ErrorCode("read.open", "an input cannot be opened")
        /// An input's metadata cannot be read.
        public let stat = ErrorCode("read.stat", "an input's metadata cannot be read")
        /// A symbolic link that is not followed (inputs.follow_symlinks is off).
        public let symlink = ErrorCode("read.symlink", "a symbolic link that is not followed (inputs.follow_symlinks is off)")
        /// A symbolic link whose target cannot be reached.
        public let symlinkBroken = ErrorCode("read.symlink_broken", "a symbolic link whose target cannot be reached")
        /// A symbolic link to a place outside the input folders.
        public let symlinkOutside = ErrorCode("read.symlink_outside", "a symbolic link to a place outside the input folders")
        /// The input disappeared before it could be read.
        public let vanished = ErrorCode("read.vanished", "the input disappeared before it could be read")
        /// Every code of the group.
        public var all: [ErrorCode] { [badJson, directory, failed, folder, io, missing, missingText, notRegular, open, stat, symlink, symlinkBroken, symlinkOutside, vanished] }
    }

    /// `run.*` codes: a batch run as a whole.
    public struct Run: Sendable {
        /// The run stopped on an error.
        public let failed = ErrorCode("run.failed", "the run stopped on an error")
        /// Every code of the group.
        public var all: [ErrorCode] { [failed] }
    }

    /// `text.*` codes: normalization, segmentation, structure.
    public struct Text: Sendable {
        /// A normalization step this normalizer does not handle.
        public let badStep = ErrorCode("text.bad_step", "a normalization step this normalizer does not handle")
        /// The text configuration of the pipeline is invalid.
        public let config = ErrorCode("text.config", "the text configuration of the pipeline is invalid")
        /// Normalization, segmentation or structure failed on a document.
        public let failed = ErrorCode("text.failed", "normalization, segmentation or structure failed on a document")
        /// Every code of the group.
        public var all: [ErrorCode] { [badStep, config, failed] }
    }

    /// `train.*` codes: training heads and encoders.
    public struct Train: Sendable {
        /// Invalid training options.
        public let badConfig = ErrorCode("train.bad_config", "invalid training options")
        /// A head of this kind cannot be trained.
        public let badHead = ErrorCode("train.bad_head", "a head of this kind cannot be trained")
        /// A bundle already exists where a new one would be made.
        public let bundleExists = ErrorCode("train.bundle_exists", "a bundle already exists where a new one would be made")
        /// Training the encoder would invalidate other heads of the bundle.
        public let encoderShared = ErrorCode("train.encoder_shared", "training the encoder would invalidate other heads of the bundle")
        /// No training examples.
        public let noExamples = ErrorCode("train.no_examples", "no training examples")
        /// The training examples carry no labels for this kind of head.
        public let noLabels = ErrorCode("train.no_labels", "the training examples carry no labels for this kind of head")
        /// Nothing to train.
        public let noTasks = ErrorCode("train.no_tasks", "nothing to train")
        /// A training file cannot be read.
        public let unreadable = ErrorCode("train.unreadable", "a training file cannot be read")
        /// Every code of the group.
        public var all: [ErrorCode] { [badConfig, badHead, bundleExists, encoderShared, noExamples, noLabels, noTasks, unreadable] }
    }

    /// `transformer.*` codes: transformer (BERT) checkpoints.
    public struct Transformer: Sendable {
        /// A Transformer checkpoint's config.json is invalid or disagrees with its weights.
        public let badConfig = ErrorCode("transformer.bad_config", "a Transformer checkpoint's config.json is invalid or disagrees with its weights")
        /// A Transformer vocabulary lacks a required token or is malformed.
        public let badVocabulary = ErrorCode("transformer.bad_vocabulary", "a Transformer vocabulary lacks a required token or is malformed")
        /// A Transformer weight's shape disagrees with config.json.
        public let badWeightShape = ErrorCode("transformer.bad_weight_shape", "a Transformer weight's shape disagrees with config.json")
        /// The Transformer checkpoint is not the one the bundle was made with.
        public let checkpointChanged = ErrorCode("transformer.checkpoint_changed", "the Transformer checkpoint is not the one the bundle was made with")
        /// The Transformer checkpoint folder the bundle records is missing.
        public let missingCheckpoint = ErrorCode("transformer.missing_checkpoint", "the Transformer checkpoint folder the bundle records is missing")
        /// A Transformer checkpoint has no readable config.json.
        public let missingConfig = ErrorCode("transformer.missing_config", "a Transformer checkpoint has no readable config.json")
        /// A Transformer checkpoint has neither tokenizer.json nor vocab.txt.
        public let missingVocabulary = ErrorCode("transformer.missing_vocabulary", "a Transformer checkpoint has neither tokenizer.json nor vocab.txt")
        /// A Transformer weight is missing.
        public let missingWeight = ErrorCode("transformer.missing_weight", "a Transformer weight is missing")
        /// A Transformer checkpoint has no model.safetensors.
        public let missingWeights = ErrorCode("transformer.missing_weights", "a Transformer checkpoint has no model.safetensors")
        /// Every code of the group.
        public var all: [ErrorCode] { [badConfig, badVocabulary, badWeightShape, checkpointChanged, missingCheckpoint, missingConfig, missingVocabulary, missingWeight, missingWeights] }
    }

    /// `watch.*` codes: the watched inbox.
    public struct Watch: Sendable {
        /// A folder cannot be watched with inotify.
        public let addWatch = ErrorCode("watch.add_watch", "a folder cannot be watched with inotify")
        /// The status HTTP server cannot start.
        public let http = ErrorCode("watch.http", "the status HTTP server cannot start")
        /// The inbox folder cannot be used.
        public let inbox = ErrorCode("watch.inbox", "the inbox folder cannot be used")
        /// Inotify cannot be initialised.
        public let inotifyInit = ErrorCode("watch.inotify_init", "inotify cannot be initialised")
        /// The watcher's lock file cannot be opened.
        public let lock = ErrorCode("watch.lock", "the watcher's lock file cannot be opened")
        /// Another watcher uses this state folder.
        public let locked = ErrorCode("watch.locked", "another watcher uses this state folder")
        /// A watch folder cannot be created.
        public let mkdir = ErrorCode("watch.mkdir", "a watch folder cannot be created")
        /// Waiting for inotify events failed.
        public let poll = ErrorCode("watch.poll", "waiting for inotify events failed")
        /// Reading inotify events failed.
        public let read = ErrorCode("watch.read", "reading inotify events failed")
        /// Every code of the group.
        public var all: [ErrorCode] { [addWatch, http, inbox, inotifyInit, lock, locked, mkdir, poll, read] }
    }

    /// `web.*` codes: website (crawl) records.
    public struct Web: Sendable {
        /// A website record has neither HTML nor section texts.
        public let noText = ErrorCode("web.no_text", "a website record has neither HTML nor section texts")
        /// Every code of the group.
        public var all: [ErrorCode] { [noText] }
    }

    /// `xml.*` codes: xML documents.
    public struct XML: Sendable {
        /// XML entity expansion exceeds the text budget.
        public let entityForbidden = ErrorCode("xml.entity_forbidden", "XML entity expansion exceeds the text budget")
        /// An XML document cannot be parsed.
        public let malformed = ErrorCode("xml.malformed", "an XML document cannot be parsed")
        /// The XML mapping options are invalid.
        public let mapping = ErrorCode("xml.mapping", "the XML mapping options are invalid")
        /// The record XPath matches nothing.
        public let noRecords = ErrorCode("xml.no_records", "the record XPath matches nothing")
        /// An XML record has no text.
        public let noText = ErrorCode("xml.no_text", "an XML record has no text")
        /// Libxml2 could not create an XML parser.
        public let parser = ErrorCode("xml.parser", "libxml2 could not create an XML parser")
        /// An XPath query failed.
        public let xpath = ErrorCode("xml.xpath", "an XPath query failed")
        /// An XPath expression is invalid.
        public let xpathInvalid = ErrorCode("xml.xpath_invalid", "an XPath expression is invalid")
        /// Every code of the group.
        public var all: [ErrorCode] { [entityForbidden, malformed, mapping, noRecords, noText, parser, xpath, xpathInvalid] }
    }
}
