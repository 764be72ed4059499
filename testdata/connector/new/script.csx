public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        switch (this.Context.OperationId)
        {
            case "ListTasks":
            case "GetTask":
                return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
            case "CreateTask":
            case "DeleteTask":
                this.Context.Request.Headers.Add("X-Contoso-Source", "power-platform");
                return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        }
        return new HttpResponseMessage(HttpStatusCode.BadRequest);
    }
}
