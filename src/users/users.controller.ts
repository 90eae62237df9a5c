import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../common/auth/principal.js';
import { ApiProblems } from '../common/http/api-problems.js';
import { ParseId } from '../common/http/parse-id.pipe.js';
import {
  CreateUserDto,
  ListUsersQuery,
  UpdateUserDto,
  UserDto,
  UserPageDto,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

/** Accounts are managed by the office only. */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperation({ summary: '用户列表', description: '仅创城办（admin）。只读，不改变数据。' })
  @Get()
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403)
  list(@Query() q: ListUsersQuery): Promise<UserPageDto> {
    return this.users.list(q);
  }

  @ApiOperation({ summary: '用户详情', description: '仅创城办（admin）。只读，不改变数据。' })
  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseId) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @ApiOperation({
    summary: '新建用户',
    description: '仅创城办（admin）。新建创城办、督导员或责任单位的登录账号；用户名已存在答 409。',
  })
  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 409)
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  /** Change a user; `active: false` or a new password also ends the user's sessions. */
  @ApiOperation({
    summary: '修改用户',
    description:
      '仅创城办（admin）。修改账号信息、角色或所属单位；停用（`active: false`）或重设密码会结束该用户的所有登录。',
  })
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404)
  update(@Param('id', ParseId) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }
}
