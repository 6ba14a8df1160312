using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Foundation.Persistence;
using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Trials;

/// <summary>
/// The JSONL record of a sweep: one line per finished trial (id, parameters, status, metric, loss, metrics, time,
/// intermediate reports). The whole file is rewritten through <see cref="AtomicFile"/> after each trial, so a crash
/// leaves either the old or the new journal, never a torn line.
/// </summary>
public sealed class SweepJournal
{
    private readonly string _path;
    private readonly SortedDictionary<int, string> _lines = [];
    private readonly Dictionary<int, TrialResult> _results = [];
    private readonly object _gate = new();

    private SweepJournal(string path) => _path = System.IO.Path.GetFullPath(path);

    /// <summary>Opens <paramref name="path"/>, reading the trials it holds (none when it does not exist).</summary>
    public static SweepJournal Open(string path)
    {
        var journal = new SweepJournal(path);
        if (!File.Exists(journal._path)) return journal;
        int lineNumber = 0;
        foreach (var line in File.ReadLines(journal._path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            TrialResult result;
            try
            {
                result = Read(JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("not a JSON object"));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw new InvalidDataException($"{journal._path} line {lineNumber}: not a sweep journal record ({e.Message}).", e);
            }
            int id = result.TrialSettings.TrialId;
            if (!journal._results.TryAdd(id, result)) throw new InvalidDataException($"{journal._path} line {lineNumber}: trial {id} appears twice.");
            journal._lines[id] = line;
        }
        return journal;
    }

    /// <summary>The journal's file.</summary>
    public string Path => _path;

    /// <summary>Trials recorded.</summary>
    public int Count
    {
        get { lock (_gate) return _results.Count; }
    }

    /// <summary>The recorded result of <paramref name="trialId"/>, if any.</summary>
    public bool TryGet(int trialId, out TrialResult result)
    {
        lock (_gate) return _results.TryGetValue(trialId, out result!);
    }

    /// <summary>Records <paramref name="result"/> and rewrites the file atomically.</summary>
    public void Append(TrialResult result)
    {
        lock (_gate)
        {
            _results[result.TrialSettings.TrialId] = result;
            _lines[result.TrialSettings.TrialId] = Write(result).ToJsonString();
            var text = new StringBuilder();
            foreach (var line in _lines.Values) text.Append(line).Append('\n');
            AtomicFile.WriteAllBytes(_path, Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    internal static JsonObject Write(TrialResult r) => new()
    {
        ["trial"] = r.TrialSettings.TrialId,
        ["parameter"] = r.TrialSettings.Parameter.ToJsonObject(),
        ["status"] = r.Status.ToString(),
        ["metric"] = Number(r.Metric),
        ["loss"] = Number(r.Loss),
        ["metrics"] = new JsonObject(r.Metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Number(kv.Value)))),
        ["milliseconds"] = Math.Round(r.DurationInMilliseconds, 3),
        ["intermediate"] = new JsonArray(r.Intermediate.Select(i => (JsonNode)new JsonArray(Number(i.Resource), Number(i.Metric))).ToArray()),
        ["error"] = r.Error,
    };

    internal static TrialResult Read(JsonObject o) => new()
    {
        TrialSettings = new TrialSettings
        {
            TrialId = o["trial"]!.GetValue<int>(),
            Parameter = Parameter.FromJson(o["parameter"] as JsonObject ?? throw new InvalidDataException("\"parameter\" is missing")),
        },
        Status = Enum.Parse<TrialStatus>(o["status"]!.GetValue<string>()),
        Metric = ReadNumber(o["metric"]),
        Loss = ReadNumber(o["loss"]),
        Metrics = (o["metrics"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => ReadNumber(kv.Value)),
        DurationInMilliseconds = o["milliseconds"]!.GetValue<double>(),
        Intermediate = (o["intermediate"] as JsonArray ?? []).Select(i => (ReadNumber(i![0]), ReadNumber(i[1]))).ToArray(),
        Error = o["error"]?.GetValue<string>(),
    };

    // JSON has no NaN or infinity; they are written as strings so a failed trial's +∞ loss survives the round trip.
    internal static JsonNode Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture));

    /// <summary>A number as the journal writes it (non-finite values as strings).</summary>
    public static double ReadNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture)
        : node!.GetValue<double>();
}
