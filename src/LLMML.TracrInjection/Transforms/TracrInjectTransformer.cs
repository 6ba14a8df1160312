using System.Text;
using System.Text.Json;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using LLMML.Rasp.Torch;
using LLMML.Scoring.Hosting;
using LLMML.Scoring.Transforms;
using LLMML.TracrInjection.Alignment;
using LLMML.TracrInjection.Decoding;
using LLMML.TracrInjection.Training;
using Microsoft.ML;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Transforms;

/// <summary>
/// A fitted injection: the tuned LM, its adapter, the teacher's variable layout and the token alignment. Transform
/// generates answers (<c>Generated</c>) and scores them like <c>ScoreAnswers</c>; <see cref="DecodeVariables"/> reads every
/// RASP variable at every position from A(h_L). Saves to one archive (also inside ML.NET pipelines via <c>mlContext.Model</c>)
/// and exports the tuned LM as a Hugging Face checkpoint.
/// </summary>
public sealed class TracrInjectTransformer : LanguageModelTransformerBase<TracrInjectTransformer, TracrInjectOptions>, IArchivableTransformer<TracrInjectTransformer>
{
    private const string AdapterWeight = "adapter/weight", AdapterBias = "adapter/bias";
    private const string TeacherBlob = "injection/teacher.json", AlignmentBlob = "injection/alignment.json", ReportBlob = "injection/report.json";

    internal TracrInjectTransformer(MLContext mlContext, TracrInjectOptions options, LanguageModel model, Linear adapter, CompiledModelConfig teacher,
        AlignmentSpec alignment, InjectionReport report)
        : base(mlContext, options, model, ownsModel: true)
    {
        Adapter = adapter;
        Teacher = teacher;
        Alignment = alignment;
        Report = report;
    }

    /// <summary>Stable archive component type.</summary>
    public static string ComponentType => "LLMML.TracrInjection.TracrInject";

    /// <summary>A = Linear(d_LM → d_compiled).</summary>
    public Linear Adapter { get; }

    /// <summary>The compiled program's layout: variables, their dimensions and values, layer count.</summary>
    public CompiledModelConfig Teacher { get; }

    /// <summary>How the LM's tokens map to the program's.</summary>
    public AlignmentSpec Alignment { get; }

    /// <summary>What the fit did.</summary>
    public InjectionReport Report { get; }

    /// <summary>
    /// Every RASP variable decoded at every position of each prompt (followed by the answer separator, whose position
    /// holds the trigger), from A(h_L) with L the number of compiled layers.
    /// </summary>
    public IReadOnlyList<DecodedRow> DecodeVariables(IReadOnlyList<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var aligner = InjectionData.Aligner(Model, Alignment);
        var sequences = prompts.Select(p =>
        {
            var (prompt, separator) = Model.EncodeContinuation(p, TaskFormat.AnswerSeparator);
            return aligner.Align(prompt, separator);
        }).ToList();
        return VariableDecoder.Decode(Model, Adapter, Teacher, sequences, Teacher.Layers);
    }

    /// <summary>Writes the tuned LM as a Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer files).</summary>
    public void ExportCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Model.Save(directory);
    }

    /// <summary>Loads a transformer saved with <see cref="LLMML.MLNet.Transforms.BatchedTransformerBase.Save"/>.</summary>
    public static TracrInjectTransformer Load(MLContext mlContext, string path) => LlmModels.Load<TracrInjectTransformer>(mlContext, path);

    /// <inheritdoc />
    public override ModelArchive ToArchive()
    {
        var (tensors, blobs) = LanguageModelArchiveContent.Write(Model);
        using (no_grad())
        {
            using var w = Adapter.weight!.detach().cpu().contiguous();
            using var b = Adapter.bias!.detach().cpu().contiguous();
            tensors[AdapterWeight] = TensorData.FromFloat32(w.data<float>().ToArray(), w.shape);
            tensors[AdapterBias] = TensorData.FromFloat32(b.data<float>().ToArray(), b.shape);
        }
        blobs[TeacherBlob] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Teacher, CompiledModelStore.JsonOptions));
        blobs[AlignmentBlob] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Alignment));
        blobs[ReportBlob] = Encoding.UTF8.GetBytes(Report.ToJson());
        return ModelArchive.Create(ComponentType, StateVersion, Options, tensors, blobs);
    }

    /// <inheritdoc />
    public static TracrInjectTransformer FromArchive(MLContext mlContext, ModelArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        CompiledModelConfig teacher;
        AlignmentSpec alignment;
        InjectionReport report;
        try
        {
            teacher = JsonSerializer.Deserialize<CompiledModelConfig>(archive.GetBlob(TeacherBlob), CompiledModelStore.JsonOptions)
                ?? throw new JsonException("empty teacher layout");
            teacher.Validate($"{archive.SourceName}: {TeacherBlob}");
            alignment = JsonSerializer.Deserialize<AlignmentSpec>(archive.GetBlob(AlignmentBlob)) ?? throw new JsonException("empty alignment");
            alignment.Validate(teacher.Vocabulary);
            report = InjectionReport.FromJson(Encoding.UTF8.GetString(archive.GetBlob(ReportBlob)));
        }
        catch (Exception e) when (e is ArgumentException or JsonException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{archive.SourceName}: the saved injection state is invalid: {e.Message}", e);
        }
        var (options, model) = ReadArchive(mlContext, archive);
        try
        {
            var d = model.Config.HiddenSize;
            var weight = archive.GetTensor(AdapterWeight, TensorDType.Float32, teacher.DModel, d);
            var bias = archive.GetTensor(AdapterBias, TensorDType.Float32, teacher.DModel);
            var adapter = nn.Linear(d, teacher.DModel, hasBias: true);
            using (no_grad())
            {
                using var w = tensor(weight.ToFloat32Array(), [teacher.DModel, d]);
                using var b = tensor(bias.ToFloat32Array(), [teacher.DModel]);
                adapter.weight!.copy_(w);
                adapter.bias!.copy_(b);
            }
            adapter.to(model.Device);
            return new TracrInjectTransformer(mlContext, options, model, adapter, teacher, alignment, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
