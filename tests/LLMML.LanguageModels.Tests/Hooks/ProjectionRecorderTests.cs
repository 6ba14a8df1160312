using LLMML.LanguageModels.Hooks;
using LLMML.LanguageModels.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Hooks;

public class ProjectionRecorderTests
{
    public static TheoryData<string> Families => TinyModels.Families;

    [Theory]
    [MemberData(nameof(Families))]
    public void RecordedInputsAndOutputsAreThoseOfTheProjection(string family)
    {
        using var model = TinyModels.Create(family, seed: 91);
        var kinds = new[] { WeightKind.Query, WeightKind.Key, WeightKind.Value, WeightKind.Output, WeightKind.MlpIn, WeightKind.MlpOut };
        var ids = kinds.Select(k => new ProjectionId(1, k)).ToArray();
        using var input = tensor(TinyModels.Ids(10, model.Config.VocabularySize, 2), [2, 5]);
        using var noGrad = no_grad();
        using var plain = model.forward(input);
        using var recorder = new ProjectionRecorder(model, ids, recordOutputs: true);
        using var recorded = model.forward(input);

        recorded.allclose(plain, 0, 0).Should().BeTrue("recording must not change the forward pass");
        foreach (var id in ids)
        {
            using var w = ModelWeights.Get(model, id.Layer, id.Kind);
            using var y = recorder.Input(id).matmul(w.Weight) + (w.Bias ?? zeros(1));
            y.allclose(recorder.Output(id), 1e-5, 1e-5).Should().BeTrue($"{family} {id}: output = input · W + b");
        }
        recorder.Input(ids[0]).allclose(recorder.Input(ids[1]), 0, 0).Should().BeTrue("q and k read the same normed stream");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void GradientAtARecordedOutputEqualsThatOfAnAddedZeroProbe(string family)
    {
        using var model = TinyModels.Create(family, seed: 92);
        var id = new ProjectionId(0, WeightKind.Key);
        using var input = tensor(TinyModels.Ids(8, model.Config.VocabularySize, 3), [2, 4]);

        // Independent mechanism: add a zero leaf to the projection's output; ∂loss/∂probe = ∂loss/∂y.
        using var probe = zeros(2, 4, model.Config.KeyValueHeads * model.Config.HeadDim).requires_grad_();
        var expected = Gradient(model, input, () =>
        {
            var hook = ModelWeights.Projection(model, id.Layer, id.Kind).register_forward_hook((_, _, y) => y + probe);
            return () => hook.remove();
        }, () => probe);

        using var recorder = new ProjectionRecorder(model, [id], recordOutputs: true);
        var actual = Gradient(model, input, () => () => { }, () => recorder.Output(id));
        actual.allclose(expected, 1e-6, 1e-6).Should().BeTrue();
    }

    [Fact]
    public void RecordsAreReleased()
    {
        using var model = TinyModels.Create("gpt2", seed: 93);
        using var input = tensor(TinyModels.Ids(6, model.Config.VocabularySize, 4), [1, 6]);
        var ids = new[] { new ProjectionId(0, WeightKind.Value), new ProjectionId(1, WeightKind.MlpOut) };
        void Pass(ProjectionRecorder recorder)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(input);
            torch.autograd.grad([logits.sum()], [recorder.Output(ids[0])]);
        }
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var recorder = new ProjectionRecorder(model, ids, recordOutputs: true))
            for (var i = 0; i < 20; i++) Pass(recorder);
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.Should().Be(live);
        FluentActions.Invoking(() => new ProjectionRecorder(model, [])).Should().Throw<ArgumentException>();
    }

    private static Tensor Gradient(LLMML.LanguageModels.Modeling.CausalLanguageModel model, Tensor input, Func<Action> install, Func<Tensor> wrt)
    {
        var remove = install();
        try
        {
            using var logits = model.forward(input);
            using var loss = logits.log_softmax(-1)[.., .., 0].sum();
            return torch.autograd.grad([loss], [wrt()])[0];
        }
        finally
        {
            remove();
        }
    }
}
