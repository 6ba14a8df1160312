using LLMML.Eigenpruning.Transforms;
using LLMML.LanguageModels.Generation;
using Microsoft.ML;
using static TorchSharp.torch;

namespace LLMML.Eigenpruning.Tests;

public class PersistenceTests
{
    [Fact]
    public void SavedTransformerLoadsBackExactly()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var data = EstimatorTests.Rows(ml, 8);
        using var pruned = ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"eigenpruned-{Guid.NewGuid():N}.llmml");
        try
        {
            pruned.Save(path);
            using var loaded = EigenprunedTransformer.Load(new MLContext(), path);
            EstimatorTests.Scores(loaded.Transform(data)).Should().BeEquivalentTo(EstimatorTests.Scores(pruned.Transform(data)), o => o.WithStrictOrdering());
            loaded.Report.Should().BeEquivalentTo(pruned.Report);
            loaded.Options.Fraction.Should().Be(pruned.Options.Fraction);
            loaded.Options.Matrices.Should().Equal(pruned.Options.Matrices);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PipelineRoundTripsThroughMLNetModelSave()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        var data = EstimatorTests.Rows(ml, 8);
        using var pruned = ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(pruned, data.Schema, path);
            var fresh = new MLContext();
            var loaded = fresh.Llm().LoadModel(path, out _);
            loaded.Should().BeOfType<EigenprunedTransformer>();
            EstimatorTests.Scores(loaded.Transform(data)).Should().BeEquivalentTo(EstimatorTests.Scores(pruned.Transform(data)), o => o.WithStrictOrdering());
            ((IDisposable)loaded).Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExportedCheckpointIsThePrunedModel()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model(scale: 20);   // attention far from uniform, so key edits show in the logits
        using var pruned = ml.Llm().Eigenprune(EstimatorTests.Options(o => o.Fraction = 0.5), lm).Fit(EstimatorTests.Rows(ml, 8));
        var directory = Path.Combine(Path.GetTempPath(), $"eigenpruned-hf-{Guid.NewGuid():N}");
        try
        {
            pruned.ExportCheckpoint(directory);
            File.Exists(Path.Combine(directory, "config.json")).Should().BeTrue();
            using var reloaded = LanguageModel.Load(directory);
            using var ids = tensor(new long[] { 5, 6, 7, 8, 9 }, [1, 5]);
            using var noGrad = no_grad();
            reloaded.Model.forward(ids).allclose(pruned.Model.Model.forward(ids), 0, 0).Should().BeTrue();
            reloaded.Model.forward(ids).allclose(lm.Model.forward(ids), 1e-4, 1e-4).Should().BeFalse("half the key spectrum was removed");
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ACorruptArchiveIsRejectedWholeAndNamed()
    {
        var ml = new MLContext(seed: 1);
        using var lm = TinyTask.Model();
        using var pruned = ml.Llm().Eigenprune(EstimatorTests.Options(), lm).Fit(EstimatorTests.Rows(ml, 6));
        var path = Path.Combine(Path.GetTempPath(), $"eigenpruned-{Guid.NewGuid():N}.llmml");
        try
        {
            pruned.Save(path);
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
            var load = () => EigenprunedTransformer.Load(new MLContext(), path);
            load.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFileName(path)}*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
