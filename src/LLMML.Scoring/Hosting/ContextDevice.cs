using LLMML.LanguageModels.Devices;
using LLMML.MLNet.Catalog;
using Microsoft.ML;
using TorchSharp;

namespace LLMML.Scoring.Hosting;

/// <summary>The torch device an <see cref="MLContext"/> asks for (<see cref="MLContext.GpuDeviceId"/>, <see cref="MLContext.FallbackToCpu"/>).</summary>
public static class ContextDevice
{
    public static torch.Device For(MLContext mlContext)
    {
        var selection = LlmDeviceSelection.From(mlContext);
        return DeviceSelector.Select(selection.GpuDeviceId, selection.FallbackToCpu);
    }
}
