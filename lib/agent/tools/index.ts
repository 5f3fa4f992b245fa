import type { AgentToolContext } from "../context";
import { checkPreviewTool } from "./check-preview";
import { deleteFileTool } from "./delete-file";
import { editFileTool } from "./edit-file";
import { listFilesTool } from "./list-files";
import { readFileTool } from "./read-file";
import { readLogsTool } from "./read-logs";
import { withSecretsRedacted } from "./redact-secrets";
import { renameFileTool } from "./rename-file";
import { runCommandTool } from "./run-command";
import { searchFilesTool } from "./search-files";
import { writeFileTool } from "./write-file";

/** The agent's tools, bound to one project and turn. */
export function buildTools(ctx: AgentToolContext) {
  return withSecretsRedacted(ctx.projectId, {
    list_files: listFilesTool(ctx),
    read_file: readFileTool(ctx),
    write_file: writeFileTool(ctx),
    edit_file: editFileTool(ctx),
    delete_file: deleteFileTool(ctx),
    rename_file: renameFileTool(ctx),
    search_files: searchFilesTool(ctx),
    run_command: runCommandTool(ctx),
    read_logs: readLogsTool(ctx),
    check_preview: checkPreviewTool(ctx),
  });
}
