using LLMML.Foundation.Persistence;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Training;

/// <summary>What a training checkpoint says about the run that wrote it.</summary>
/// <param name="Step">Optimizer steps completed when it was written.</param>
/// <param name="Seed">The run's <see cref="TrainingOptions.Seed"/>.</param>
/// <param name="MaxSteps">The run's <see cref="TrainingOptions.MaxSteps"/>.</param>
/// <param name="TrainableParameters">Names of the optimised parameters, in optimizer order.</param>
/// <param name="WrittenAtUtc">When it was written.</param>
public sealed record TrainingCheckpointInfo(long Step, long Seed, int MaxSteps, IReadOnlyList<string> TrainableParameters, DateTime WrittenAtUtc);

/// <summary>
/// The single-file training checkpoint: model state (all parameters and buffers), AdamW state (moments and step
/// counts) and the run's position. Written atomically, so an interrupted save leaves the previous checkpoint intact.
/// </summary>
/// <remarks>
/// Layout: 8 magic bytes <c>LLMMLTC1</c>, a length-prefixed UTF-8 JSON header, the model state in TorchSharp's
/// <c>Module.save</c> format, the optimizer state in TorchSharp's <c>save_state_dict</c> format. The RNG needs no
/// state: the loop reseeds it from (seed, position) before every micro-batch.
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>The checkpoint's file name inside <see cref="TrainingOptions.CheckpointDirectory"/>.</summary>
    public const string FileName = "training_checkpoint.bin";

    private static readonly byte[] Magic = "LLMMLTC1"u8.ToArray();

    /// <summary>Reads only the header of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a training checkpoint or is truncated.</exception>
    public static TrainingCheckpointInfo ReadInfo(string path)
    {
        using var reader = OpenReader(path);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the model weights of the checkpoint at <paramref name="path"/> into <paramref name="model"/> (names and shapes must match).</summary>
    /// <exception cref="InvalidDataException">The file is not a training checkpoint, is truncated, or does not fit the model (with the reason).</exception>
    public static TrainingCheckpointInfo LoadModel(string path, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var reader = OpenReader(path);
        var info = ReadHeader(reader, path);
        Guard(path, () => model.load(reader, strict: true));
        return info;
    }

    internal static void Write(string path, nn.Module model, OptimizerHelper optimizer, TrainingCheckpointInfo info)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(info));
            model.save(writer);
            optimizer.save_state_dict(writer);
            writer.Flush();
        });
    }

    internal static TrainingCheckpointInfo Load(string path, nn.Module model, OptimizerHelper optimizer, IReadOnlyList<string> trainable)
    {
        using var reader = OpenReader(path);
        var info = ReadHeader(reader, path);
        if (!info.TrainableParameters.SequenceEqual(trainable))
        {
            var missing = trainable.Except(info.TrainableParameters).Take(3).ToList();
            var extra = info.TrainableParameters.Except(trainable).Take(3).ToList();
            throw new InvalidDataException(
                $"Training checkpoint '{path}' was written for other trainable parameters " +
                $"({info.TrainableParameters.Count} there, {trainable.Count} now; now trainable but not there: [{string.Join(", ", missing)}]; " +
                $"there but not trainable now: [{string.Join(", ", extra)}]).");
        }

        Guard(path, () => model.load(reader, strict: true));
        Guard(path, () => optimizer.load_state_dict(reader));
        return info;
    }

    private static BinaryReader OpenReader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Training checkpoint '{path}' does not exist.", path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8, leaveOpen: false);
    }

    private static TrainingCheckpointInfo ReadHeader(BinaryReader reader, string path)
    {
        TrainingCheckpointInfo? info = null;
        Guard(path, () =>
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"'{path}' is not an LLMML training checkpoint (wrong magic bytes).");
            info = JsonSerializer.Deserialize<TrainingCheckpointInfo>(reader.ReadString());
        });
        return info ?? throw new InvalidDataException($"Training checkpoint '{path}' has an empty header.");
    }

    private static void Guard(string path, Action read)
    {
        try
        {
            read();
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Training checkpoint '{path}' is corrupt or does not fit: {e.Message}", e);
        }
    }
}
