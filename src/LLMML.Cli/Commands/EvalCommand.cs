using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Cli.Rendering;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Tasks;
using LLMML.Scoring.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml eval`: scores a task split with a checkpoint — closed-set accuracy (arg-max over the answer set), exact match of
/// greedy generation, mean answer log-likelihood and ML.NET's multiclass metrics.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory (config.json, model.safetensors, tokenizer files).", Required = true };
        var task = new Option<string>("--task") { Description = "Task name (see `llmml tasks`).", Required = true };
        var split = new Option<string>("--split") { Description = "Split to score.", DefaultValueFactory = _ => TaskSplits.Test };
        var limit = new Option<int?>("--limit") { Description = "Score only the first N rows." }.AtLeast(1);
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per forward pass.", DefaultValueFactory = _ => 16 }.AtLeast(1);
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Greedy generation length bound.", DefaultValueFactory = _ => 16 }.AtLeast(0);
        var noGenerate = new Option<bool>("--no-generate") { Description = "Skip greedy generation (no exact-match accuracy)." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Score a task split with a model: accuracy, exact match, answer log-likelihood, ML.NET multiclass metrics.")
        {
            model, task, split, limit, batchSize, maxNewTokens, noGenerate, threads, json,
        };
        command.SetAction((parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            CommonOptions.ApplyThreads(parse, threads);
            var result = Run(parse.GetValue(model)!, parse.GetValue(task)!, parse.GetValue(split)!, parse.GetValue(limit),
                parse.GetValue(batchSize), parse.GetValue(maxNewTokens), !parse.GetValue(noGenerate), asJson, ct);
            if (asJson) Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else Print(result);
            return Task.FromResult(0);
        });
        return command;
    }

    private static JsonObject Run(string modelDirectory, string taskName, string split, int? limit, int batchSize, int maxNewTokens, bool generate, bool asJson, CancellationToken ct)
    {
        var ml = new MLContext(seed: 0);
        var llm = ml.Llm();
        var task = llm.Tasks.Get(taskName);
        var data = llm.Tasks.Load(task.Name, split, limit);
        // Score the answer set only where the split's answers are all in it (otherwise there is no Label to compare with).
        var closed = task.IsClosed(split);
        var options = ScoreAnswersOptions.ForTask(task, closed, modelDirectory);
        options.BatchSize = batchSize;
        options.Generate = generate;
        options.MaxNewTokens = maxNewTokens;
        options.CancellationToken = ct;

        var clock = Stopwatch.StartNew();
        var (rows, scoringSeconds) = ConsoleProgress.Run(asJson, progress =>
        {
            options.Progress = progress;
            using var scorer = llm.ScoreAnswers(options).Fit(data);
            var load = clock.Elapsed.TotalSeconds;
            var materialized = ScoredRows.Read(scorer.Transform(data), closed, generate);
            return (materialized, clock.Elapsed.TotalSeconds - load);
        });

        var report = LlmEvaluator.Evaluate(ml, rows.ToDataView(ml, task.AnswerSet, data.Schema), task.Name, split);
        var result = JsonNode.Parse(report.ToJson())!.AsObject();
        result["model"] = Path.GetFullPath(modelDirectory);
        if (report.Multiclass is { } m) result["accuracy"] = m.MicroAccuracy;
        result["batchSize"] = batchSize;
        result["threads"] = TorchSharp.torch.get_num_threads();
        result["seconds"] = Math.Round(scoringSeconds, 3);
        result["rowsPerSecond"] = Math.Round(report.Rows / Math.Max(scoringSeconds, 1e-9), 2);
        return result;
    }

    private static void Print(JsonObject result)
    {
        var table = new Table().AddColumns("metric", "value");
        void Row(string name, JsonNode? value)
        {
            if (value is null) return;
            var text = value is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("G6", CultureInfo.InvariantCulture)
                : value is JsonValue t && t.TryGetValue<string>(out var str) ? str : value.ToJsonString();
            table.AddRow(Markup.Escape(name), Markup.Escape(text));
        }
        foreach (var key in new[] { "task", "split", "rows", "accuracy", "exactMatchAccuracy" }) Row(key, result[key]);
        if (result["answerLikelihood"] is JsonObject ll)
            foreach (var (k, v) in ll) Row("answerLikelihood." + k, v);
        if (result["multiclass"] is JsonObject mc)
            foreach (var (k, v) in mc) Row("multiclass." + k, v);
        foreach (var key in new[] { "seconds", "rowsPerSecond" }) Row(key, result[key]);
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// The scored columns read in ONE pass (each further read of the lazy view would run the model again), and an
    /// in-memory view of them for <see cref="LlmEvaluator"/>.
    /// </summary>
    private sealed class ScoredRows
    {
        private readonly List<Row> _rows = [];

        public static ScoredRows Read(IDataView scored, bool closed, bool generated)
        {
            var result = new ScoredRows();
            var schema = scored.Schema;
            var columns = new List<DataViewSchema.Column> { schema[TaskDataViews.AnswerColumn], schema[LlmMetrics.AnswerLogLikelihoodColumn], schema[LlmMetrics.AnswerTokenCountColumn] };
            if (closed) columns.AddRange([schema[ClosedSetScoring.ScoreColumn], schema[ClosedSetScoring.PredictedLabelColumn]]);
            var label = closed ? schema.GetColumnOrNull(TaskDataViews.LabelColumn) : null;
            if (label is not null) columns.Add(label.Value);
            if (generated) columns.Add(schema[LlmMetrics.GeneratedColumn]);

            using var cursor = scored.GetRowCursor(columns);
            var answer = cursor.GetGetter<ReadOnlyMemory<char>>(schema[TaskDataViews.AnswerColumn]);
            var ll = cursor.GetGetter<float>(schema[LlmMetrics.AnswerLogLikelihoodColumn]);
            var tokens = cursor.GetGetter<int>(schema[LlmMetrics.AnswerTokenCountColumn]);
            var score = closed ? cursor.GetGetter<VBuffer<float>>(schema[ClosedSetScoring.ScoreColumn]) : null;
            var predicted = closed ? cursor.GetGetter<uint>(schema[ClosedSetScoring.PredictedLabelColumn]) : null;
            var gold = label is { } l ? cursor.GetGetter<uint>(l) : null;
            var text = generated ? cursor.GetGetter<ReadOnlyMemory<char>>(schema[LlmMetrics.GeneratedColumn]) : null;
            ReadOnlyMemory<char> a = default, g = default;
            VBuffer<float> s = default;
            while (cursor.MoveNext())
            {
                var row = new Row();
                answer(ref a);
                row.Answer = a.ToString();
                ll(ref row.AnswerLogLikelihood);
                tokens(ref row.AnswerTokenCount);
                if (score is not null)
                {
                    score(ref s);
                    row.Score = s.DenseValues().ToArray();
                    predicted!(ref row.PredictedLabel);
                }
                gold?.Invoke(ref row.Label);
                if (text is not null)
                {
                    text(ref g);
                    row.Generated = g.ToString();
                }
                result._rows.Add(row);
            }
            result.HasLabel = label is not null;
            result.Generated = generated;
            return result;
        }

        private bool HasLabel { get; set; }

        private bool Generated { get; set; }

        public IDataView ToDataView(MLContext ml, IReadOnlyList<string>? answerSet, DataViewSchema source)
        {
            var definition = SchemaDefinition.Create(typeof(Row));
            void Drop(string name) => definition.Remove(definition[name]);
            if (answerSet is { Count: var n } && _rows.All(r => r.Score is not null))
            {
                definition[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
                definition[nameof(Row.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), n);
                if (HasLabel) definition[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), n);
                else Drop(nameof(Row.Label));
            }
            else
            {
                Drop(nameof(Row.Score));
                Drop(nameof(Row.PredictedLabel));
                Drop(nameof(Row.Label));
            }
            if (!Generated) Drop(nameof(Row.Generated));
            // LoadFromEnumerable stores key = field + 1 (see TaskDataViews), so keys are written 0-based.
            var copies = _rows.Select(r => new Row
            {
                Answer = r.Answer, AnswerLogLikelihood = r.AnswerLogLikelihood, AnswerTokenCount = r.AnswerTokenCount, Generated = r.Generated,
                Score = r.Score, PredictedLabel = r.PredictedLabel - 1, Label = r.Label - 1,
            }).ToArray();
            return ml.Data.LoadFromEnumerable(copies, definition);
        }

        // Fields (not properties) so the getters can fill them by ref; ML.NET's schema reflection reads public fields.
        private sealed class Row
        {
            public string Answer = "";
            public float AnswerLogLikelihood;
            public int AnswerTokenCount;
            public string Generated = "";
            public float[]? Score;
            public uint PredictedLabel;
            public uint Label;
        }
    }
}
