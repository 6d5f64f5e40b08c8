using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class ImagePushOutputTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Digest_comes_from_the_status_line()
    {
        var output = new ImagePusher.PushOutput(new RecordingLog());

        output.Report(new JSONMessage { Status = "The push refers to repository [localhost:5000/example-service]" });
        output.Report(new JSONMessage { ID = "5f70bf18a086", Status = "Pushed" });
        output.Report(new JSONMessage { Status = $"1.2.3: digest: {Digest} size: 1574" });

        Assert.Equal(Digest, output.Digest);
        Assert.Null(output.Error);
    }

    [Fact]
    public void Digest_comes_from_the_aux_record()
    {
        var output = new ImagePusher.PushOutput(new RecordingLog());

        output.Report(new JSONMessage { Aux = new ObjectExtensionData { ExtensionData = new Dictionary<string, object> { ["Tag"] = "1.2.3", ["Digest"] = Digest, ["Size"] = 1574 } } });

        Assert.Equal(Digest, output.Digest);
    }

    [Fact]
    public void Error_is_kept_and_a_layer_id_is_not_mistaken_for_a_digest()
    {
        var output = new ImagePusher.PushOutput(new RecordingLog());

        output.Report(new JSONMessage { ID = "sha256:abc", Status = "Preparing" });
        output.Report(new JSONMessage { Error = new JSONError { Message = "unauthorized: authentication required" } });

        Assert.Null(output.Digest);
        Assert.Equal("unauthorized: authentication required", output.Error);
    }

    [Fact]
    public void Build_output_fails_with_the_engine_message()
    {
        var log = new RecordingLog();
        var output = new ImageBuilder.BuildOutput(log);

        output.Report(new JSONMessage { Stream = "Step 1/9 : ARG BASE_IMAGE\n" });
        output.Report(new JSONMessage { Error = new JSONError { Message = "COPY failed: file not found in build context" } });

        var error = Assert.Throws<InvalidOperationException>(output.ThrowIfFailed);
        Assert.Contains("COPY failed: file not found in build context", error.Message, StringComparison.Ordinal);
        Assert.Contains("Step 1/9 : ARG BASE_IMAGE", log.Lines);
    }
}
