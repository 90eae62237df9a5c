import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { invalidField } from '../common/errors/domain-error.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import * as A from './dto/task-actions.dto.js';
import { TaskDetailDto } from './dto/task-output.dto.js';
import { TaskTransitionsService } from './task-transitions.service.js';

/** The version the client saw: the body's `version`, else `If-Match: "3"`. */
export function versionOf(body: A.VersionedDto, ifMatch: string | undefined): number | undefined {
  if (body.version !== undefined) return body.version;
  if (ifMatch === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m)
    throw invalidField('If-Match', 'If-Match must carry the task version, e.g. "3"', 'ifMatch');
  return Number(m[1]);
}

/**
 * Lifecycle actions as sub-resources of a task. Each answers the task as it is afterwards;
 * who may do what is the lifecycle table (src/tasks/task-lifecycle.ts): 403 for a wrong role,
 * 404 for another unit's task, 409 for a stale version or an action the state does not allow.
 */
@ApiTags('task actions')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'Task version, instead of `version` in the body',
})
@Controller('tasks/:id')
export class TaskActionsController {
  constructor(private readonly transitions: TaskTransitionsService) {}

  /** 派遣 (office): give a pending task to a unit. */
  @Post('dispatch')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  dispatch(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DispatchDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.dispatch(p, id, versionOf(dto, m), dto);
  }

  /** 改派 (office): move an assigned task to another unit, with a fresh deadline. */
  @Post('reassignment')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reassign(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ReassignDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.reassign(p, id, versionOf(dto, m), dto);
  }

  /** 整改反馈 (unit): report the fix with after-photos. Closes at once where the category allows. */
  @Post('submissions')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  submit(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.SubmissionDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.submit(p, id, versionOf(dto, m), dto);
  }

  /** 复查 (inspector, office): pass closes it (销号); fail returns it for 返工 with a new deadline. */
  @Post('checks')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  check(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.CheckDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.check(p, id, versionOf(dto, m), dto);
  }

  /** 申请延期 (unit). The task stays assigned until the office decides. */
  @Post('extension-requests')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  requestExtension(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ExtensionRequestDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.requestExtension(p, id, versionOf(dto, m), dto);
  }

  /** Approve (new deadline, kept in the history) or refuse an extension request (office). */
  @Post('extension-requests/:requestId/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decideExtension(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Param('requestId', ParseId) requestId: string,
    @Body() dto: A.ExtensionDecisionDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.decideExtension(p, id, requestId, versionOf(dto, m), dto);
  }

  /** 申诉 (unit): the task is not ours. */
  @Post('disputes')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  dispute(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DisputeDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.dispute(p, id, versionOf(dto, m), dto);
  }

  /** Uphold (back to dispatch) or reject (stays with the unit) a dispute (office). */
  @Post('disputes/:disputeId/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decideDispute(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Param('disputeId', ParseId) disputeId: string,
    @Body() dto: A.DisputeDecisionDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.decideDispute(p, id, disputeId, versionOf(dto, m), dto);
  }

  /** 挂账 (office): park a task that needs engineering or a season. */
  @Post('hold')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  hold(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.HoldDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.hold(p, id, versionOf(dto, m), dto);
  }

  /** Take a parked task up again (office), with a fresh deadline. */
  @Post('resume')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resume(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ResumeDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.resume(p, id, versionOf(dto, m), dto);
  }

  @Post('cancellation')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.CancelDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.cancel(p, id, versionOf(dto, m), dto);
  }

  /** Mark as a duplicate of another task (office); it is cancelled. */
  @Post('duplicate')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  duplicate(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DuplicateDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.markDuplicate(p, id, versionOf(dto, m), dto);
  }

  /** 反弹 (inspector, office): a closed problem is back; the task returns to its unit. */
  @Post('reopen')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reopen(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.ReopenDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.reopen(p, id, versionOf(dto, m), dto);
  }

  /** Override the deadline (office); the old and new deadline are kept in the history. */
  @Post('deadline')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiProblems(400, 401, 403, 404, 409)
  overrideDeadline(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseId) id: string,
    @Body() dto: A.DeadlineOverrideDto,
    @Headers('if-match') m?: string,
  ): Promise<TaskDetailDto> {
    return this.transitions.overrideDeadline(p, id, versionOf(dto, m), dto);
  }
}
