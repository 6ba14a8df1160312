using LLMML.MLNet.Catalog;
using LLMML.MLNet.Persistence;
using Microsoft.ML;

namespace LLMML.MLNet.Tests.Catalog;

public class LlmCatalogTests
{
    [Fact]
    public void Llm_registers_the_context_and_exposes_tasks()
    {
        var ml = new MLContext();
        MLNetModelBridge.IsRegistered(ml).Should().BeFalse();
        var catalog = ml.Llm();
        MLNetModelBridge.IsRegistered(ml).Should().BeTrue();
        catalog.Context.Should().BeSameAs(ml);
        catalog.Tasks.Names.Should().Contain(["int-sum", "gsm8k"]);
        ml.Llm(); // idempotent
    }

    [Fact]
    public void Device_selection_follows_the_MLContext_settings()
    {
        var ml = new MLContext();
        ml.Llm().Device.Should().Be(new LlmDeviceSelection(null, false));
        ml.Llm().Device.Resolve(cudaAvailable: true).Should().Be("cpu");

        ml.GpuDeviceId = 1;
        ml.FallbackToCpu = true;
        var device = ml.Llm().Device;
        device.PreferredDeviceName.Should().Be("cuda:1");
        device.Resolve(cudaAvailable: true).Should().Be("cuda:1");
        device.Resolve(cudaAvailable: false).Should().Be("cpu");

        ml.FallbackToCpu = false;
        var strict = () => ml.Llm().Device.Resolve(cudaAvailable: false);
        strict.Should().Throw<InvalidOperationException>().WithMessage("*GpuDeviceId = 1*FallbackToCpu is false*");
    }

    private sealed class Opts : LlmOptionsBase
    {
        public int Rank { get; set; } = 2;
    }

    [Fact]
    public void Options_base_validates_and_keeps_progress_out_of_saved_json()
    {
        var o = new Opts { Progress = new Progress<LLMML.Foundation.Progress.ProgressUpdate>() };
        var json = System.Text.Json.JsonSerializer.Serialize(o, LLMML.Foundation.Persistence.ModelArchive.JsonOptions);
        json.Should().Contain("\"rank\": 2").And.Contain("\"batchSize\": 16").And.NotContain("progress");
        o.BatchSize = 0;
        o.Invoking(x => x.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BatchSize*");
    }
}
